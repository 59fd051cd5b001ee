using System;
using System.Collections.Generic;
using System.IO;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Settings
{
    /// <summary>A save interrupted at every single storage operation, in every way, then a reboot: old or new settings, never a mix.</summary>
    public sealed class SettingsStoreFaultTests
    {
        /// <summary>How the storage double fails at its Nth write or rename operation.</summary>
        public enum Fault
        {
            /// <summary>The operation throws IOException and is not done; later operations work.</summary>
            Throw,

            /// <summary>Power is lost before the operation completes (a write gets half its bytes); every later operation throws.</summary>
            CutBefore,

            /// <summary>The operation is done, then power is lost.</summary>
            CutAfter,

            /// <summary>Power is lost before the operation, and the file being written loses its second half.</summary>
            Truncate,

            /// <summary>The operation is done but one byte of the file it touched flips; the device goes on.</summary>
            Corrupt,
        }

        public static IEnumerable<object[]> Scenarios()
        {
            foreach (Fault fault in Enum.GetValues<Fault>())
            {
                foreach (int before in new[] { 0, 1, 2 })
                {
                    yield return new object[] { fault, before };
                }
            }
        }

        [Theory]
        [MemberData(nameof(Scenarios))]
        public void SaveInterruptedAtEveryOperation_ReloadsOldOrNew(Fault fault, int earlierSaves)
        {
            DeviceSettings[] generations = { Generation(0), Generation(1), Generation(2) };
            DeviceSettings newer = Generation(3);
            DeviceSettings old = earlierSaves == 0 ? new DeviceSettings() : generations[earlierSaves - 1];

            int cleanOps = CountOperations(generations, earlierSaves, newer);
            Assert.InRange(cleanOps, 4, 5);

            // One beyond the last operation is the run where nothing fails.
            for (int failAt = 1; failAt <= cleanOps + 1; failAt++)
            {
                FaultyStorage storage = Prepared(generations, earlierSaves);
                storage.Arm(failAt, fault);
                string error = new SettingsStore(storage).Save(newer);
                bool triggered = storage.Triggered;

                storage.Reboot();
                SettingsLoadResult loaded = new SettingsStore(storage).Load();
                string text = loaded.Settings.Serialize();
                string context = fault + " at operation " + failAt + " after " + earlierSaves + " saves (" + loaded.Source + ")";

                Assert.True(text == old.Serialize() || text == newer.Serialize(), context + ": settings are a mix");
                if (!triggered)
                {
                    Assert.Null(error);
                    Assert.Equal(newer.Serialize(), text);
                    Assert.Equal(SettingsSource.Current, loaded.Source);
                }
                else if (fault == Fault.Throw)
                {
                    // The device stayed up and was told the save failed: the old settings must come back.
                    Assert.NotNull(error);
                    Assert.True(text == old.Serialize(), context + ": a save reported as failed changed the settings");
                }
                else if (fault != Fault.Corrupt)
                {
                    Assert.NotNull(error);
                }

                // The next save after the reboot goes through cleanly whatever was left behind.
                DeviceSettings after = Generation(4);
                Assert.Null(new SettingsStore(storage).Save(after));
                SettingsLoadResult again = new SettingsStore(storage).Load();
                Assert.Equal(SettingsSource.Current, again.Source);
                Assert.Equal(after.Serialize(), again.Settings.Serialize());
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void PowerCutDuringTheWrite_AfterEveryByte_ReloadsOld(int earlierSaves)
        {
            DeviceSettings[] generations = { Generation(1) };
            DeviceSettings old = earlierSaves == 0 ? new DeviceSettings() : generations[0];
            DeviceSettings newer = Generation(2);
            int length = SettingsStore.Encode(newer).Length;

            // Operation 2 is the write of settings.new; it stops after each possible number of bytes.
            for (int kept = 0; kept < length; kept++)
            {
                FaultyStorage storage = Prepared(generations, earlierSaves);
                storage.Arm(2, Fault.CutBefore, kept);
                Assert.NotNull(new SettingsStore(storage).Save(newer));
                Assert.True(storage.Triggered);

                storage.Reboot();
                Assert.Equal(old.Serialize(), new SettingsStore(storage).Load().Settings.Serialize());
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void FlippedByteInTheWrite_AtEveryOffset_ReloadsOld(int earlierSaves)
        {
            DeviceSettings[] generations = { Generation(1) };
            DeviceSettings old = earlierSaves == 0 ? new DeviceSettings() : generations[0];
            DeviceSettings newer = Generation(2);
            int length = SettingsStore.Encode(newer).Length;

            for (int offset = 0; offset < length; offset++)
            {
                FaultyStorage storage = Prepared(generations, earlierSaves);
                storage.Arm(2, Fault.Corrupt, offset);
                Assert.Null(new SettingsStore(storage).Save(newer));
                Assert.True(storage.Triggered);

                storage.Reboot();
                SettingsLoadResult loaded = new SettingsStore(storage).Load();
                Assert.Equal(old.Serialize(), loaded.Settings.Serialize());
                Assert.NotEqual(SettingsSource.Current, loaded.Source);
            }
        }

        [Fact]
        public void Load_StorageThatAlwaysFails_GivesDefaultsWithoutThrowing()
        {
            FaultyStorage storage = Prepared(new[] { Generation(1) }, 1);
            storage.FailReads = true;

            SettingsLoadResult loaded = new SettingsStore(storage).Load();

            Assert.Equal(SettingsSource.Defaults, loaded.Source);
            Assert.Equal(new DeviceSettings().Serialize(), loaded.Settings.Serialize());
        }

        /// <summary>Settings that differ from each other in every kind of value, UTF-8 text included.</summary>
        internal static DeviceSettings Generation(int n)
        {
            DeviceSettings settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.SmtpHost, "mail" + n + ".example.org"));
            Assert.Null(settings.Set(SettingKeys.SmtpPort, (25 + n).ToString()));
            Assert.Null(settings.Set(SettingKeys.SmtpPassword, "p\u00e4ss=" + n));
            Assert.Null(settings.Set(SettingKeys.DeviceName, "B\u00fcro Scanner " + n));
            Assert.Null(settings.Set(SettingKeys.PopBeforeSmtp, n % 2 == 0 ? "on" : "off"));
            Assert.Null(settings.Set(SettingKeys.SmtpAuth, n % 2 == 0 ? "cram-md5" : "login"));
            Assert.Null(settings.Set(SettingKeys.NetLocalAddress, "10.0.0." + (n + 1)));
            return settings;
        }

        private static FaultyStorage Prepared(DeviceSettings[] generations, int saves)
        {
            FaultyStorage storage = new FaultyStorage();
            for (int i = 0; i < saves; i++)
            {
                Assert.Null(new SettingsStore(storage).Save(generations[i]));
            }

            return storage;
        }

        private static int CountOperations(DeviceSettings[] generations, int saves, DeviceSettings newer)
        {
            FaultyStorage storage = Prepared(generations, saves);
            int before = storage.Operations;
            Assert.Null(new SettingsStore(storage).Save(newer));
            return storage.Operations - before;
        }

        /// <summary>In-memory <see cref="IStorage"/> whose Nth write, commit, rename or delete fails as a <see cref="Fault"/> says.</summary>
        internal sealed class FaultyStorage : IStorage
        {
            private readonly SortedDictionary<string, byte[]> _files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            private int _failAt;
            private Fault _fault;
            private bool _poweredOff;
            private string _writing;
            private int _offset;

            /// <summary>Write, commit, rename and delete operations so far.</summary>
            public int Operations { get; private set; }

            /// <summary>True once the armed fault has happened.</summary>
            public bool Triggered { get; private set; }

            /// <summary>When set, Exists and OpenRead throw too.</summary>
            public bool FailReads { get; set; }

            public IDictionary<string, byte[]> Files => _files;

            public void Arm(int operation, Fault fault, int offset = -1)
            {
                _failAt = Operations + operation;
                _fault = fault;
                _offset = offset;
                Triggered = false;
            }

            /// <summary>Power comes back: files stay as they are, the fault is gone.</summary>
            public void Reboot()
            {
                _failAt = 0;
                _poweredOff = false;
                _writing = null;
            }

            public bool Exists(string name)
            {
                CheckRead();
                return _files.ContainsKey(name);
            }

            public IDocumentSource OpenRead(string name)
            {
                CheckRead();
                if (!_files.TryGetValue(name, out byte[] data))
                {
                    throw new FileNotFoundException("no such file", name);
                }

                // Short reads, as flash file systems give them.
                return new MemoryDocument((byte[])data.Clone(), 7);
            }

            public IStorageWriter Create(string name)
            {
                Step(name, () =>
                {
                    _files[name] = Array.Empty<byte>();
                    _writing = name;
                });
                return new Writer(this, name);
            }

            public void Replace(string from, string to)
            {
                Step(to, () =>
                {
                    if (!_files.TryGetValue(from, out byte[] data))
                    {
                        throw new FileNotFoundException("no such file", from);
                    }

                    _files.Remove(from);
                    _files[to] = data;
                });
            }

            public void Delete(string name)
            {
                Step(name, () => _files.Remove(name));
            }

            public string[] List(string prefix)
            {
                List<string> names = new List<string>();
                foreach (string name in _files.Keys)
                {
                    if (name.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        names.Add(name);
                    }
                }

                return names.ToArray();
            }

            private void CheckRead()
            {
                if (FailReads)
                {
                    throw new IOException("read error");
                }
            }

            private void Append(string name, byte[] buffer, int offset, int count)
            {
                Step(name, () => AppendNow(name, buffer, offset, count), () => AppendNow(name, buffer, offset, _offset >= 0 ? _offset : count / 2));
            }

            private void AppendNow(string name, byte[] buffer, int offset, int count)
            {
                byte[] old = _files[name];
                byte[] grown = new byte[old.Length + count];
                Array.Copy(old, grown, old.Length);
                Array.Copy(buffer, offset, grown, old.Length, count);
                _files[name] = grown;
            }

            private void Step(string touched, Action operation, Action partial = null)
            {
                if (_poweredOff)
                {
                    throw new IOException("no power");
                }

                Operations++;
                if (Operations != _failAt)
                {
                    operation();
                    return;
                }

                Triggered = true;
                switch (_fault)
                {
                    case Fault.Throw:
                        throw new IOException("write error");
                    case Fault.CutBefore:
                        partial?.Invoke();
                        _poweredOff = true;
                        throw new IOException("power cut");
                    case Fault.CutAfter:
                        operation();
                        _poweredOff = true;
                        throw new IOException("power cut");
                    case Fault.Truncate:
                        if (_writing != null && _files.TryGetValue(_writing, out byte[] written))
                        {
                            Array.Resize(ref written, written.Length / 2);
                            _files[_writing] = written;
                        }

                        _poweredOff = true;
                        throw new IOException("power cut");
                    default:
                        operation();
                        if (_files.TryGetValue(touched, out byte[] data) && data.Length > 0)
                        {
                            data[_offset >= 0 ? _offset % data.Length : data.Length / 3] ^= 0x20;
                        }

                        return;
                }
            }

            private sealed class Writer : IStorageWriter
            {
                private readonly FaultyStorage _owner;
                private readonly string _name;

                public Writer(FaultyStorage owner, string name)
                {
                    _owner = owner;
                    _name = name;
                }

                public void Write(byte[] buffer, int offset, int count)
                {
                    _owner.Append(_name, buffer, offset, count);
                }

                public void Commit()
                {
                    _owner.Step(_name, () => _owner._writing = null);
                }

                public void Dispose()
                {
                }
            }
        }
    }
}
