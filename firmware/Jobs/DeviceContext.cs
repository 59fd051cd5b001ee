using System;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>What the mail tasks share: the HAL, the settings in force, the queue, the journal and the mail-session lock.</summary>
    public sealed class DeviceContext
    {
        /// <summary>Creates the context; the runtime's wiring fills it once at boot.</summary>
        public DeviceContext(SettingsKeeper settings, INetConnector connector, IClock clock, IStorage storage, IOneShotTimer timer, IEngine engine)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            SettingsKeeper = settings;
            Connector = connector;
            Clock = clock;
            Storage = storage;
            Timer = timer;
            Engine = engine;
            MailLock = new MailSessionLock();
            TlsLock = new MailSessionLock();
            Jobs = new JobStore(storage);
            Journal = new Journal(storage);
            Random = new Random();
            Credentials = new CredentialStore(storage);
            SaltedPasswords = new SaltedPasswordCache(Credentials);
        }

        /// <summary>The settings in force and the one way to change them (copy, commit, swap).</summary>
        public SettingsKeeper SettingsKeeper { get; private set; }

        /// <summary>The settings in force now (frozen); an attempt takes them once, when it begins.</summary>
        public DeviceSettings Settings
        {
            get { return SettingsKeeper.Current; }
        }

        /// <summary>Opens connections.</summary>
        public INetConnector Connector { get; private set; }

        /// <summary>Time.</summary>
        public IClock Clock { get; private set; }

        /// <summary>Flash storage.</summary>
        public IStorage Storage { get; private set; }

        /// <summary>The hardware one-shot timer (POP-before-SMTP delay).</summary>
        public IOneShotTimer Timer { get; private set; }

        /// <summary>The scan/print engine.</summary>
        public IEngine Engine { get; private set; }

        /// <summary>Serializes POP use.</summary>
        public MailSessionLock MailLock { get; private set; }

        /// <summary>
        /// The TLS session budget: one at a time. Each TLS session takes about 33 KB of buffers on the
        /// device (nanoFramework's SslStream over mbedTLS), and the managed heap left beside the firmware
        /// holds one such session, not two; so the POP receive task and the SMTP send task never hold
        /// TLS sessions at once. A task that needs both locks takes <see cref="MailLock"/> first.
        /// </summary>
        public MailSessionLock TlsLock { get; private set; }

        /// <summary>The transmission queue.</summary>
        public JobStore Jobs { get; private set; }

        /// <summary>The communication journal.</summary>
        public Journal Journal { get; private set; }

        /// <summary>Message-IDs and MIME boundaries.</summary>
        public Random Random { get; private set; }

        /// <summary>Unpredictable bytes for SCRAM's client nonce (the board sets it); without it SCRAM is not used.</summary>
        public IRandomSource RandomSource { get; set; }

        /// <summary>Secrets kept apart from the settings (SCRAM salted passwords, tokens).</summary>
        public CredentialStore Credentials { get; private set; }

        /// <summary>SCRAM salted passwords between logins, in <see cref="Credentials"/>.</summary>
        public SaltedPasswordCache SaltedPasswords { get; private set; }

        /// <summary>The OAuth 2.0 access token for XOAUTH2 and OAUTHBEARER (the runtime sets it), or null when the board has none.</summary>
        public IOAuthTokens OAuth { get; set; }

        /// <summary>Receives protocol dialogues (masked), or null.</summary>
        public ISessionLog SessionLog { get; set; }
    }
}
