using System;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// The maildrop phase of a <see cref="PopSession"/> in Receive mode (RFC 1939 TRANSACTION state) and
    /// what only it knows: the messages listed (number, id, size, already stored), which one is being
    /// retrieved with its bounds (octets and deadline), the body decoder and its chunk, and how many deletions
    /// wait for QUIT. It sends UIDL, LIST, RETR and DELE, streams each message into the sink and deletes it on
    /// the server only once stored; a message over its bounds is aborted, noted as skipped and left there.
    /// </summary>
    internal sealed class PopMaildrop
    {
        // The empty id stands for "the server has no UIDL" (see IPopMailSink).
        private const string NoUid = "";

        // Longest message number and size accepted in a list line, in decimal digits.
        private const int MaxNumberDigits = 9;
        private const int MaxSizeDigits = 18;

        private readonly PopSession _session;
        private readonly PopSessionOptions _options;
        private readonly IPopMailSink _sink;
        private readonly PopBodyDecoder _decoder = new PopBodyDecoder();
        private readonly byte[] _chunk = new byte[PopSession.BodyChunkSize];
        private readonly int[] _numbers;
        private readonly string[] _uids;
        private readonly bool[] _stored;
        private readonly long[] _sizes;

        private bool _withoutUids;
        private bool _takeWithoutUids;
        private int _selected;
        private int _current;
        private int _chunkCount;
        private long _bodyOctets;
        private long _bodyLimit;
        private long _retrieveDeadline;
        private bool _messageOpen;
        private bool _discardBody;
        private int _deletesPending;

        /// <summary>Creates the maildrop phase of <paramref name="session"/>, with one slot per message it may fetch.</summary>
        internal PopMaildrop(PopSession session, PopSessionOptions options, IPopMailSink sink)
        {
            _session = session;
            _options = options;
            _sink = sink;
            int slots = options.MaxMessagesPerSession;
            _numbers = new int[slots];
            _uids = new string[slots];
            _stored = new bool[slots];
            _sizes = new long[slots];
        }

        /// <summary>Messages marked deleted (DELE answered +OK), which only the +OK to QUIT makes final.</summary>
        internal int DeletesPending
        {
            get { return _deletesPending; }
        }

        private PopResult Result
        {
            get { return _session.Result; }
        }

        /// <summary>Logged in: ask for the message ids.</summary>
        internal void Begin(long nowMs)
        {
            _session.SendCommand("UIDL", PopState.Uidl, nowMs, "UIDL");
        }

        /// <summary>A status line (+OK or -ERR) in answer to UIDL, LIST, RETR or DELE.</summary>
        internal void OnReply(PopState state, bool ok, long nowMs)
        {
            switch (state)
            {
                case PopState.Uidl:
                    if (ok)
                    {
                        _session.BeginList();
                    }
                    else
                    {
                        _withoutUids = true;
                        _takeWithoutUids = !_sink.Has(NoUid);
                        _session.SendCommand("LIST", PopState.List, nowMs, "LIST");
                    }

                    break;

                case PopState.List:
                    if (ok)
                    {
                        _session.BeginList();
                    }
                    else
                    {
                        FailServer(nowMs);
                    }

                    break;

                case PopState.Retr:
                    if (ok)
                    {
                        BeginMessage(nowMs);
                    }
                    else
                    {
                        FailServer(nowMs);
                    }

                    break;

                default:
                    if (ok)
                    {
                        _deletesPending++;
                        NextMessage(nowMs);
                    }
                    else
                    {
                        FailServer(nowMs);
                    }

                    break;
            }
        }

        /// <summary>One line of the UIDL or LIST response.</summary>
        internal void OnListLine(PopState state)
        {
            if (state == PopState.Uidl)
            {
                OnUidlLine();
            }
            else
            {
                OnListSizeLine();
            }
        }

        /// <summary>The UIDL or LIST response ended: the next command, or QUIT when nothing is left to do.</summary>
        internal void OnListEnd(PopState state, long nowMs)
        {
            if (state == PopState.Uidl)
            {
                if (_selected == 0)
                {
                    _session.SendQuit(nowMs);
                }
                else if (!AnyNew())
                {
                    // Only messages stored before: delete them, no sizes needed.
                    _current = 0;
                    SendRetr(nowMs);
                }
                else
                {
                    // LIST gives the sizes the sink is told of.
                    _session.SendCommand("LIST", PopState.List, nowMs, "LIST");
                }

                return;
            }

            _current = 0;
            if (_selected == 0)
            {
                _session.SendQuit(nowMs);
            }
            else
            {
                SendRetr(nowMs);
            }
        }

        /// <summary>Message data after the +OK to RETR; returns how many of <paramref name="count"/> octets were taken.</summary>
        internal int ReceiveBody(byte[] buffer, int offset, int count, long nowMs)
        {
            int used = 0;
            while (used < count)
            {
                int written;
                used += _decoder.Decode(buffer, offset + used, count - used, _chunk, _chunkCount, _chunk.Length - _chunkCount, out written);
                _chunkCount += written;
                _bodyOctets += written;
                if (_bodyOctets > _bodyLimit)
                {
                    Overflow();
                    return used;
                }

                if (_decoder.IsComplete)
                {
                    FlushChunk();
                    if (_session.LogsDialogue)
                    {
                        _session.LogReply(".");
                    }

                    EndMessage(nowMs);
                    return used;
                }

                if (_chunk.Length - _chunkCount < PopBodyDecoder.MaxOutputPerInput)
                {
                    FlushChunk();
                }
            }

            // The block deadline restarts with every piece that arrives; the message's own deadline does not.
            _session.SetStepDeadline(Earlier(nowMs + _options.RetrieveBlockTimeoutMs, _retrieveDeadline));
            return used;
        }

        /// <summary>
        /// A deadline passed while a message was asked for or coming: when it is the message's own, the message is
        /// noted as skipped and the session fails with why; returns false when it was not (the session says why).
        /// </summary>
        internal bool RetrieveTimedOut(long nowMs)
        {
            if (nowMs < _retrieveDeadline)
            {
                return false;
            }

            // A server that trickles the message keeps the block deadline fresh; this one is not restarted.
            string why = "not received within " + (_options.RetrieveTimeoutMs / 1000).ToString() + " s (" + _bodyOctets.ToString() + " octets came)";
            Skip(why);
            _session.Fail(UserErrorCode.PopReceptionInterrupted, "message " + _numbers[_current].ToString() + " " + why + "; it stays on the server");
            return true;
        }

        /// <summary>The session ended: a message being stored is dropped from the sink.</summary>
        internal void Abort()
        {
            if (_messageOpen)
            {
                _messageOpen = false;
                _sink.Abort();
            }
        }

        private void OnUidlLine()
        {
            PopLineReader reader = _session.Reader;
            byte[] line = reader.LineBuffer;
            int end = reader.Length;
            int pos = reader.DataOffset;
            long number = ParseNumber(line, ref pos, end, MaxNumberDigits);
            int spaces = SkipSpaces(line, ref pos, end);
            int uidStart = pos;
            while (pos < end && line[pos] > 0x20 && line[pos] < 0x7F)
            {
                pos++;
            }

            int uidEnd = pos;
            SkipSpaces(line, ref pos, end);
            if (number < 1 || spaces == 0 || uidEnd == uidStart || pos != end)
            {
                // RFC 1939 7: ids are 0x21 to 0x7E; anything else could make two messages look alike.
                _session.BreakProtocol("malformed UIDL line");
                return;
            }

            Result.MessagesTotal++;
            if (_selected == _numbers.Length)
            {
                return;
            }

            // A message the device already stored is still on the server when a QUIT was lost: delete it now.
            string uid = Ascii.GetString(line, uidStart, uidEnd - uidStart);
            _numbers[_selected] = (int)number;
            _uids[_selected] = uid;
            _sizes[_selected] = -1;
            _stored[_selected] = _sink.Has(uid);
            _selected++;
        }

        private void OnListSizeLine()
        {
            PopLineReader reader = _session.Reader;
            byte[] line = reader.LineBuffer;
            int end = reader.Length;
            int pos = reader.DataOffset;
            long number = ParseNumber(line, ref pos, end, MaxNumberDigits);
            int spaces = SkipSpaces(line, ref pos, end);
            long size = ParseNumber(line, ref pos, end, MaxSizeDigits);
            if (number < 1 || spaces == 0 || size < 0)
            {
                _session.BreakProtocol("malformed LIST line");
                return;
            }

            if (_withoutUids)
            {
                Result.MessagesTotal++;
                if (_takeWithoutUids && _selected < _numbers.Length)
                {
                    _numbers[_selected] = (int)number;
                    _uids[_selected] = NoUid;
                    _sizes[_selected] = size;
                    _stored[_selected] = false;
                    _selected++;
                }

                return;
            }

            for (int i = 0; i < _selected; i++)
            {
                if (_numbers[i] == number)
                {
                    _sizes[i] = size;
                    return;
                }
            }
        }

        private bool AnyNew()
        {
            for (int i = 0; i < _selected; i++)
            {
                if (!_stored[i])
                {
                    return true;
                }
            }

            return false;
        }

        private void SendRetr(long nowMs)
        {
            if (_stored[_current])
            {
                _session.SendCommand("DELE " + _numbers[_current].ToString(), PopState.Dele, nowMs, "DELE");
                return;
            }

            if (IsSkipUid(_uids[_current]))
            {
                // Skipped in an earlier session (journalled then): it stays on the server, untouched.
                Result.AddSkip(_uids[_current], "message " + _numbers[_current].ToString() + " skipped before; left on the server");
                NextMessage(nowMs);
                return;
            }

            long size = _sizes[_current];
            if (size > _options.MaxMessageOctets)
            {
                Skip("LIST gives " + size.ToString() + " octets, more than the " + _options.MaxMessageOctets.ToString() + " the device takes");
                NextMessage(nowMs);
                return;
            }

            // One deadline for the whole message, from the command on: arriving pieces do not move it.
            _retrieveDeadline = nowMs + _options.RetrieveTimeoutMs;
            _bodyOctets = 0;
            _bodyLimit = size < 0 ? _options.MaxMessageOctets : size + (size / PopSession.RetrieveMarginDivisor) + PopSession.RetrieveMarginOctets;
            _session.SendCommand("RETR " + _numbers[_current].ToString(), PopState.Retr, nowMs, "RETR");
            _session.SetStepDeadline(Earlier(nowMs + _options.CommandTimeoutMs, _retrieveDeadline));
        }

        private static long Earlier(long a, long b)
        {
            return a < b ? a : b;
        }

        private bool IsSkipUid(string uid)
        {
            string[] skip = _options.SkipUids;
            if (skip == null || uid.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < skip.Length; i++)
            {
                if (skip[i] == uid)
                {
                    return true;
                }
            }

            return false;
        }

        private void Skip(string why)
        {
            Result.AddSkip(_uids[_current], "message " + _numbers[_current].ToString() + (_uids[_current].Length > 0 ? " uid=" + _uids[_current] : string.Empty) + " " + why + "; left on the server");
        }

        private void BeginMessage(long nowMs)
        {
            _decoder.Reset();
            _chunkCount = 0;
            _discardBody = false;
            _session.ExpectBody(Earlier(nowMs + _options.RetrieveBlockTimeoutMs, _retrieveDeadline));
            try
            {
                _sink.Begin(_uids[_current], _sizes[_current]);
                _messageOpen = true;
            }
            catch (Exception e)
            {
                StoreFailed("storing a message failed: " + e.Message);
            }
        }

        private void Overflow()
        {
            // Nothing past the bound reaches the sink; what did is thrown away with the message.
            _chunkCount = 0;
            Abort();
            long size = _sizes[_current];
            string why = size < 0
                ? "longer than the " + _options.MaxMessageOctets.ToString() + " octets the device takes"
                : "longer than LIST said (" + size.ToString() + " octets; more than " + _bodyLimit.ToString() + " came)";
            Skip(why);
            Result.Stage = "RETR";

            // The rest of the stream cannot be skipped safely (it may never end): the session ends here, without QUIT.
            _session.Fail(UserErrorCode.PopServerError, "message " + _numbers[_current].ToString() + " " + why + "; it stays on the server");
            _session.End();
        }

        private void FlushChunk()
        {
            int count = _chunkCount;
            _chunkCount = 0;
            if (count == 0 || _discardBody)
            {
                return;
            }

            try
            {
                _sink.Write(_chunk, 0, count);
            }
            catch (Exception e)
            {
                StoreFailed("storing a message failed: " + e.Message);
            }
        }

        private void EndMessage(long nowMs)
        {
            if (_discardBody)
            {
                // The rest of the message was read only to reach the next reply.
                _session.SendQuit(nowMs);
                return;
            }

            bool stored;
            string why = "the device did not store message " + _numbers[_current].ToString() + "; it stays on the server";
            try
            {
                stored = _sink.Commit();
            }
            catch (Exception e)
            {
                stored = false;
                why = why + ": " + e.Message;
            }

            _messageOpen = false;
            if (!stored)
            {
                // Whatever made storing fail (full memory, mostly) would fail the next message too.
                Result.Stage = "store";
                _session.Fail(UserErrorCode.PopReceptionInterrupted, why);
                _session.SendQuit(nowMs);
                return;
            }

            Result.MessagesReceived++;
            _session.SendCommand("DELE " + _numbers[_current].ToString(), PopState.Dele, nowMs, "DELE");
        }

        private void NextMessage(long nowMs)
        {
            _current++;
            if (_current < _selected)
            {
                SendRetr(nowMs);
            }
            else
            {
                _session.SendQuit(nowMs);
            }
        }

        private void StoreFailed(string detail)
        {
            Abort();
            _discardBody = true;
            Result.Stage = "store";
            _session.Fail(UserErrorCode.PopReceptionInterrupted, detail);
        }

        private void FailServer(long nowMs)
        {
            _session.SetReply();
            _session.Fail(UserErrorCode.PopServerError, UserErrorCode.Describe(UserErrorCode.PopServerError));
            _session.SendQuit(nowMs);
        }

        private static long ParseNumber(byte[] line, ref int pos, int end, int maxDigits)
        {
            long value = 0;
            int digits = 0;
            while (pos < end && line[pos] >= (byte)'0' && line[pos] <= (byte)'9')
            {
                if (digits == maxDigits)
                {
                    return -1;
                }

                value = (value * 10) + (line[pos] - '0');
                digits++;
                pos++;
            }

            return digits == 0 ? -1 : value;
        }

        private static int SkipSpaces(byte[] line, ref int pos, int end)
        {
            int start = pos;
            while (pos < end && line[pos] == (byte)' ')
            {
                pos++;
            }

            return pos - start;
        }
    }
}
