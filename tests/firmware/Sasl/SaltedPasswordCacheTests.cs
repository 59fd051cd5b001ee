using System;
using System.IO;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class SaltedPasswordCacheTests
    {
        private const string Nonce = "rOprNGfwEbeRWgbNEkqO";
        private const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        private const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
        private const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

        [Fact]
        public void A_repeat_login_takes_the_salted_password_from_the_cache()
        {
            var storage = new MemoryStorage();
            var cache = new SaltedPasswordCache(new CredentialStore(storage));

            Scram first = Login(cache, "pencil");
            Assert.Null(first.Respond(Bytes(ServerFirst), 0, ServerFirst.Length));
            Assert.True(first.IsComputing);
            Assert.Equal(ClientFinal, Text(ScramTests.Finish(first, 100000)));
            Assert.DoesNotContain(storage.Files.Keys, k => k.StartsWith(CredentialStore.Folder, StringComparison.Ordinal));
            Assert.NotNull(first.Respond(Bytes(ServerFinal), 0, ServerFinal.Length));
            Assert.False(first.UsedCachedKey);
            Assert.Single(storage.Files.Keys, k => k.StartsWith(CredentialStore.Folder, StringComparison.Ordinal));

            Scram second = Login(cache, "pencil");
            byte[] final = second.Respond(Bytes(ServerFirst), 0, ServerFirst.Length);

            Assert.False(second.IsComputing);
            Assert.True(second.UsedCachedKey);
            Assert.Equal(ClientFinal, Text(final));
            Assert.NotNull(second.Respond(Bytes(ServerFinal), 0, ServerFinal.Length));
        }

        [Fact]
        public void Another_password_salt_or_count_is_a_miss()
        {
            var storage = new MemoryStorage();
            var cache = new SaltedPasswordCache(new CredentialStore(storage));
            LoginFully(cache, "pencil");

            Scram otherPassword = Login(cache, "crayon");
            Assert.Null(otherPassword.Respond(Bytes(ServerFirst), 0, ServerFirst.Length));
            Assert.True(otherPassword.IsComputing);

            string otherSalt = ServerFirst.Replace("W22ZaJ0SNY7soEsUEjb6gQ==", "AAAAAAAAAAAAAAAAAAAAAA==", StringComparison.Ordinal);
            Scram saltChanged = Login(cache, "pencil");
            Assert.Null(saltChanged.Respond(Bytes(otherSalt), 0, otherSalt.Length));
            Assert.True(saltChanged.IsComputing);

            string otherCount = ServerFirst.Replace("i=4096", "i=4097", StringComparison.Ordinal);
            Scram countChanged = Login(cache, "pencil");
            Assert.Null(countChanged.Respond(Bytes(otherCount), 0, otherCount.Length));
            Assert.True(countChanged.IsComputing);
        }

        [Fact]
        public void Nothing_is_cached_when_the_server_signature_is_wrong()
        {
            var storage = new MemoryStorage();
            var cache = new SaltedPasswordCache(new CredentialStore(storage));
            Scram scram = Login(cache, "pencil");
            scram.Respond(Bytes(ServerFirst), 0, ServerFirst.Length);
            ScramTests.Finish(scram, 100000);

            Assert.Null(scram.Respond(Bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), 0, 46));

            Assert.Equal(SaslFailure.ServerNotAuthentic, scram.Failure);
            Assert.Empty(storage.Files);
        }

        [Fact]
        public void A_refused_proof_from_a_cached_key_drops_the_entry()
        {
            var storage = new MemoryStorage();
            var cache = new SaltedPasswordCache(new CredentialStore(storage));
            LoginFully(cache, "pencil");
            Scram scram = Login(cache, "pencil");
            scram.Respond(Bytes(ServerFirst), 0, ServerFirst.Length);
            Assert.True(scram.UsedCachedKey);

            scram.Rejected();

            Assert.Empty(new CredentialStore(storage).Names());
        }

        [Fact]
        public void Storage_failures_are_misses_never_errors()
        {
            var storage = new MemoryStorage { FailCreate = _ => true };
            var cache = new SaltedPasswordCache(new CredentialStore(storage));

            LoginFully(cache, "pencil");
            Scram again = Login(cache, "pencil");

            Assert.Null(again.Respond(Bytes(ServerFirst), 0, ServerFirst.Length));
            Assert.True(again.IsComputing);
            Assert.Equal(ClientFinal, Text(ScramTests.Finish(again, 100000)));
        }

        [Fact]
        public void A_damaged_entry_is_a_miss()
        {
            var storage = new MemoryStorage();
            var cache = new SaltedPasswordCache(new CredentialStore(storage));
            LoginFully(cache, "pencil");
            string file = storage.Files.Keys.Single();
            byte[] damaged = (byte[])storage.Files[file].Clone();
            damaged[10] ^= 0x04;
            storage.Put(file, damaged);

            Scram scram = Login(cache, "pencil");

            Assert.Null(scram.Respond(Bytes(ServerFirst), 0, ServerFirst.Length));
            Assert.True(scram.IsComputing);
        }

        [Fact]
        public void The_entry_holds_no_password_and_is_named_by_a_hash()
        {
            var storage = new MemoryStorage();
            var cache = new SaltedPasswordCache(new CredentialStore(storage));
            LoginFully(cache, "pencil");

            string file = storage.Files.Keys.Single();
            string content = Encoding.ASCII.GetString(storage.Files[file]);
            Assert.Matches("^credentials/scram-[0-9a-f]{32}\\.cred$", file);
            Assert.DoesNotContain("pencil", content);
            Assert.DoesNotContain(Convert.ToBase64String(Bytes("pencil")), content);
            Assert.Equal(
                SaltedPasswordCache.EntryName("SCRAM-SHA-256", Bytes("user"), Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096),
                file.Substring(CredentialStore.Folder.Length, file.Length - CredentialStore.Folder.Length - ".cred".Length));
        }

        [Fact]
        public void RemoveAll_forgets_every_salted_password_but_not_other_entries()
        {
            var storage = new MemoryStorage();
            var store = new CredentialStore(storage);
            var cache = new SaltedPasswordCache(store);
            LoginFully(cache, "pencil");
            var other = new CredentialEntry();
            other.SetText("token", "t");
            store.Write("oauth.smtp", other);

            cache.RemoveAll();

            Assert.Equal(new[] { "oauth.smtp" }, store.Names());
        }

        private static void LoginFully(ISaltedPasswordCache cache, string password)
        {
            Scram scram = Login(cache, password);
            byte[] final = scram.Respond(Bytes(ServerFirst), 0, ServerFirst.Length) ?? ScramTests.Finish(scram, 100000);
            Assert.Equal(ClientFinal, Text(final));
            Assert.NotNull(scram.Respond(Bytes(ServerFinal), 0, ServerFinal.Length));
            scram.Clear();
        }

        private static Scram Login(ISaltedPasswordCache cache, string password)
        {
            var scram = new Scram(SaslMechanisms.ScramSha256, Bytes("user"), Bytes(password), new FixedNonceSource(Nonce), cache, Nonce.Length);
            scram.InitialResponse();
            return scram;
        }

        private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

        private static string Text(byte[] bytes) => bytes == null ? null : Encoding.ASCII.GetString(bytes);
    }
}
