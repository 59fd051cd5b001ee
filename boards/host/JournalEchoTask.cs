using System;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Scheduling;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// For `run` without a terminal: writes every journal entry added while the board runs as a plain
    /// line, "journal: " and the entry, a few times a second.
    /// </summary>
    internal sealed class JournalEchoTask : SchedulerTask
    {
        /// <summary>What starts a journal line.</summary>
        public const string Prefix = "journal: ";

        /// <summary>How often the journal is looked at.</summary>
        public const int PollIntervalMs = 100;

        private readonly Journal _journal;
        private readonly LinePanel _output;
        private long _written;

        /// <summary>Echoes the entries <paramref name="journal"/> gets from now on to <paramref name="output"/>.</summary>
        public JournalEchoTask(Journal journal, LinePanel output)
            : base("journal echo")
        {
            _journal = journal;
            _output = output;
            _written = journal.Version;
        }

        /// <inheritdoc />
        public override void Step(long nowMs)
        {
            long version = _journal.Version;
            if (version != _written)
            {
                // The journal keeps its newest entries only: more than that since the last look are gone.
                long added = Math.Min(version - _written, Journal.MaxEntries);
                foreach (string line in _journal.Lines((int)added))
                {
                    _output.WriteLine(Prefix + line);
                }

                _written = version;
            }

            SleepUntil(nowMs + PollIntervalMs);
        }
    }
}
