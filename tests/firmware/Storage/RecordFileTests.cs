using System.IO;
using System.Text;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Storage
{
    public class RecordFileTests
    {
        [Fact]
        public void Crc32_matches_the_standard_check_value()
        {
            byte[] check = Encoding.ASCII.GetBytes("123456789");
            Assert.Equal(0xCBF43926u, Crc32.Update(0, check, 0, check.Length));
            uint split = Crc32.Update(Crc32.Update(0, check, 0, 4), check, 4, 5);
            Assert.Equal(0xCBF43926u, split);
        }

        [Fact]
        public void A_record_round_trips_with_non_ascii_text()
        {
            var storage = new MemoryStorage();
            RecordFile.Write(storage, "r/a", "subject=Bürobedarf 日本語\nx=1\n");
            Assert.Equal("subject=Bürobedarf 日本語\nx=1\n", RecordFile.Read(storage, "r/a"));
            Assert.False(storage.Exists("r/a.new"));
        }

        [Fact]
        public void Any_single_corrupted_byte_or_truncation_reads_as_absent()
        {
            var storage = new MemoryStorage();
            RecordFile.Write(storage, "r", "key=value\nother=thing\n");
            byte[] good = storage.Files["r"];
            for (int i = 0; i < good.Length; i++)
            {
                byte[] bad = (byte[])good.Clone();
                bad[i] ^= 0x20;
                storage.Put("r", bad);
                Assert.Null(RecordFile.Read(storage, "r"));

                storage.Put("r", good[..i]);
                Assert.Null(RecordFile.Read(storage, "r"));
            }

            storage.Put("r", good);
            Assert.NotNull(RecordFile.Read(storage, "r"));
        }

        [Fact]
        public void A_cut_at_any_point_of_a_rewrite_leaves_the_old_or_the_new_record()
        {
            for (int cut = 0; cut < 10; cut++)
            {
                var storage = new MemoryStorage();
                RecordFile.Write(storage, "r", "old\n");
                storage.CutAfter = storage.Operations + cut;
                bool finished = true;
                try
                {
                    RecordFile.Write(storage, "r", "new\n");
                }
                catch (IOException)
                {
                    finished = false;
                }

                string after = RecordFile.Read(storage.Reboot(), "r");
                Assert.True(after == "old\n" || after == "new\n", "cut " + cut + " gave " + after);
                if (finished)
                {
                    Assert.Equal("new\n", after);
                }
            }
        }
    }
}
