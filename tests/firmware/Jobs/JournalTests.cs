using System.IO;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    public class JournalTests
    {
        [Fact]
        public void Entries_come_back_in_order_after_a_restart()
        {
            var storage = new MemoryStorage();
            var journal = new Journal(storage);
            journal.Load();
            journal.Append("one");
            journal.Append("two\r\nthree");

            var again = new Journal(storage.Reboot());
            again.Load();
            Assert.Equal(new[] { "one", "two  three" }, again.Lines(10));
            Assert.Equal(new[] { "two  three" }, again.Lines(1));
        }

        [Fact]
        public void Only_the_newest_entries_are_kept()
        {
            var storage = new MemoryStorage();
            var journal = new Journal(storage);
            journal.Load();
            for (int i = 1; i <= Journal.MaxEntries + 7; i++)
            {
                journal.Append("entry " + i);
            }

            Assert.Equal(Journal.MaxEntries, journal.Count);
            Assert.Equal(Journal.MaxEntries, storage.List(Journal.Folder).Length);
            string[] lines = journal.Lines(Journal.MaxEntries);
            Assert.Equal("entry 8", lines[0]);
            Assert.Equal("entry " + (Journal.MaxEntries + 7), lines[^1]);
        }

        [Fact]
        public void A_cut_entry_is_dropped_and_the_rest_kept()
        {
            for (int cut = 0; cut < 6; cut++)
            {
                var storage = new MemoryStorage();
                var journal = new Journal(storage);
                journal.Load();
                journal.Append("kept");
                storage.CutAfter = storage.Operations + cut;
                try
                {
                    journal.Append("maybe");
                }
                catch (IOException)
                {
                }

                var again = new Journal(storage.Reboot());
                again.Load();
                string[] lines = again.Lines(10);
                Assert.Equal("kept", lines[0]);
                Assert.True(lines.Length == 1 || (lines.Length == 2 && lines[1] == "maybe"));
                again.Append("next");
                Assert.Equal("next", again.Lines(1)[0]);
            }
        }
    }
}
