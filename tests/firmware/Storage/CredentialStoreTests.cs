using System;
using System.IO;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Storage
{
    public class CredentialStoreTests
    {
        [Fact]
        public void An_entry_round_trips_with_binary_and_text_fields()
        {
            var storage = new MemoryStorage();
            var store = new CredentialStore(storage);
            var entry = new CredentialEntry();
            byte[] secret = { 0, 1, 2, 0xFF, 0x0A, 0x3D };
            entry.Set("secret", secret, 0, secret.Length);
            entry.SetText("expires", "2026-12-31T23:59:59Z");
            entry.Set("empty", secret, 0, 0);

            store.Write("oauth.smtp", entry);
            CredentialEntry read = store.Read("oauth.smtp");

            Assert.Equal(3, read.Count);
            Assert.Equal(secret, read.Get("secret"));
            Assert.Equal("2026-12-31T23:59:59Z", read.GetText("expires"));
            Assert.Empty(read.Get("empty"));
            Assert.Null(read.Get("missing"));
            Assert.True(read.ValueEquals("secret", secret));
            Assert.False(read.ValueEquals("secret", new byte[] { 0, 1, 2 }));
            Assert.True(storage.Exists("credentials/oauth.smtp.cred"));
            Assert.False(storage.Exists("credentials/oauth.smtp.cred.new"));
        }

        [Fact]
        public void The_file_is_a_sealed_record_and_holds_no_secret_in_clear()
        {
            var storage = new MemoryStorage();
            var store = new CredentialStore(storage);
            var entry = new CredentialEntry();
            entry.Set("token", Encoding.ASCII.GetBytes("VerySecretToken"), 0, 15);

            store.Write("t", entry);

            string file = Encoding.ASCII.GetString(storage.Files["credentials/t.cred"]);
            Assert.Equal("token=" + Convert.ToBase64String(Encoding.ASCII.GetBytes("VerySecretToken")) + "\n", RecordFile.Unseal(storage.Files["credentials/t.cred"]));
            Assert.DoesNotContain("VerySecretToken", file);
            Assert.Contains("#crc32=", file);
        }

        [Fact]
        public void Damaged_missing_or_malformed_entries_read_as_absent()
        {
            var storage = new MemoryStorage();
            var store = new CredentialStore(storage);
            var entry = new CredentialEntry();
            entry.SetText("a", "1");
            store.Write("x", entry);
            byte[] good = storage.Files["credentials/x.cred"];

            Assert.Null(store.Read("nothing-here"));
            for (int i = 0; i < good.Length; i++)
            {
                byte[] bad = (byte[])good.Clone();
                bad[i] ^= 0x01;
                storage.Put("credentials/x.cred", bad);
                Assert.Null(store.Read("x"));
            }

            foreach (string body in new[] { "novalue\n", "a=1\n", "a=MQ==\na=MQ==\n", "A=MQ==\n", "a=MQ==", "=MQ==\n" })
            {
                storage.Put("credentials/x.cred", RecordFile.SealBytes(Encoding.ASCII.GetBytes(body), 0, body.Length));
                Assert.Null(store.Read("x"));
            }
        }

        [Fact]
        public void A_power_cut_at_any_write_leaves_the_old_or_the_new_entry()
        {
            for (int cut = 0; cut < 10; cut++)
            {
                var storage = new MemoryStorage();
                var store = new CredentialStore(storage);
                var old = new CredentialEntry();
                old.SetText("v", "old");
                store.Write("e", old);
                storage.CutAfter = storage.Operations + cut;
                var fresh = new CredentialEntry();
                fresh.SetText("v", "new");

                try
                {
                    store.Write("e", fresh);
                }
                catch (IOException)
                {
                }

                string value = new CredentialStore(storage.Reboot()).Read("e").GetText("v");
                Assert.True(value == "old" || value == "new", "cut " + cut + ": " + value);
            }
        }

        [Fact]
        public void A_failed_write_leaves_no_pending_copy_and_keeps_the_old_entry()
        {
            var storage = new MemoryStorage();
            var store = new CredentialStore(storage);
            var old = new CredentialEntry();
            old.SetText("v", "old");
            store.Write("e", old);
            storage.FailAfterBytes = 4;
            var fresh = new CredentialEntry();
            fresh.SetText("v", "a longer new value");

            Assert.Throws<IOException>(() => store.Write("e", fresh));

            Assert.False(storage.Exists("credentials/e.cred.new"));
            Assert.Equal("old", store.Read("e").GetText("v"));
        }

        [Fact]
        public void Names_lists_entries_and_delete_removes_them()
        {
            var storage = new MemoryStorage();
            var store = new CredentialStore(storage);
            var entry = new CredentialEntry();
            entry.SetText("v", "1");
            store.Write("b", entry);
            store.Write("a.2", entry);
            storage.Put("credentials/stray.txt", new byte[1]);
            storage.Put("credentials/c.cred.new", new byte[1]);

            Assert.Equal(new[] { "a.2", "b" }, store.Names());

            store.Delete("b");
            store.Delete("never-there");
            Assert.Equal(new[] { "a.2" }, store.Names());
        }

        [Theory]
        [InlineData("")]
        [InlineData(".hidden")]
        [InlineData("../settings")]
        [InlineData("a/b")]
        [InlineData("UPPER")]
        [InlineData("space here")]
        public void Invalid_names_are_refused(string name)
        {
            var store = new CredentialStore(new MemoryStorage());

            Assert.False(CredentialStore.IsValidName(name));
            Assert.Throws<ArgumentException>(() => store.Read(name));
            Assert.Throws<ArgumentException>(() => store.Write(name, new CredentialEntry()));
        }

        [Fact]
        public void Entry_fields_are_bounded_and_clear_wipes_the_values()
        {
            var entry = new CredentialEntry();
            byte[] secret = { 9, 9, 9 };
            entry.Set("s", secret, 0, 3);
            byte[][] values = (byte[][])typeof(CredentialEntry)
                .GetField("_values", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .GetValue(entry);
            byte[] held = values[0];

            entry.Clear();

            Assert.All(held, b => Assert.Equal(0, b));
            Assert.Equal(0, entry.Count);
            Assert.Throws<ArgumentException>(() => entry.Set("Bad Name", secret, 0, 1));
            for (int i = 0; i < CredentialEntry.MaxFields; i++)
            {
                entry.SetText("f" + i, "x");
            }

            Assert.Throws<InvalidOperationException>(() => entry.SetText("one-more", "x"));
            entry.SetText("f3", "replaced");
            Assert.Equal("replaced", entry.GetText("f3"));
            Assert.Equal(CredentialEntry.MaxFields, Enumerable.Range(0, CredentialEntry.MaxFields).Count(i => entry.GetText("f" + i) != null));
        }
    }
}
