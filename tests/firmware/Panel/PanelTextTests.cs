using NetBoard.Firmware.Panel;

namespace NetBoard.Firmware.Tests.Panel
{
    public sealed class PanelTextTests
    {
        [Theory]
        [InlineData("must be a number from 1 to 65535", 16, new[] { "must be a number", "from 1 to 65535" })]
        [InlineData("Reset all? Set=Yes Back=No", 16, new[] { "Reset all?", "Set=Yes Back=No" })]
        [InlineData("averyveryverylongword x", 8, new[] { "averyver", "yverylon", "gword x" })]
        [InlineData("  spaced   out  ", 20, new[] { "spaced out" })]
        [InlineData("", 8, new[] { "" })]
        public void Wrap_BreaksAtSpacesWithinColumns(string text, int columns, string[] expected)
        {
            Assert.Equal(expected, PanelText.Wrap(text, columns));
        }

        [Fact]
        public void Spread_RightAlignsOrGivesUp()
        {
            Assert.Equal(">Port          25", PanelText.Spread(">Port", "25", 17));
            Assert.Null(PanelText.Spread(">Port", "25", 7));
        }
    }
}
