namespace NetBoard.Fuzz.Tests
{
    /// <summary>Every property with a bounded number of iterations (the CI run); Program runs them longer.</summary>
    public class PropertyTests
    {
        public const long CiIterations = 2000;

        public static TheoryData<string> Names()
        {
            var data = new TheoryData<string>();
            foreach (var (name, _) in Properties.All)
            {
                data.Add(name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Property_holds(string name)
        {
            foreach (var (n, run) in Properties.All)
            {
                if (n == name)
                {
                    run(CiIterations);
                    return;
                }
            }

            Assert.Fail("no property " + name);
        }
    }
}
