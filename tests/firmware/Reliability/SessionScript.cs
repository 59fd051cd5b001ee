using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Net;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Reliability
{
    /// <summary>A message read from shared bytes, so building one allocates next to nothing.</summary>
    internal sealed class BytesMessage : NetBoard.Firmware.Smtp.IMessageReader
    {
        private readonly byte[] _bytes;
        private int _position;

        public BytesMessage(byte[] bytes) => _bytes = bytes;

        public long Length => _bytes.Length;

        /// <summary>Whole lines only, as the composer produces them.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            int written = 0;
            while (_position < _bytes.Length)
            {
                int end = Array.IndexOf(_bytes, (byte)'\n', _position) + 1;
                if (written + end - _position > count)
                {
                    break;
                }

                Array.Copy(_bytes, _position, buffer, offset + written, end - _position);
                written += end - _position;
                _position = end;
            }

            return written;
        }
    }

    /// <summary>A mail sink that keeps only a count and a checksum of what it is given (no growing buffers).</summary>
    internal sealed class CountingSink : NetBoard.Firmware.Pop.IPopMailSink
    {
        public int Committed { get; private set; }

        public long Octets { get; private set; }

        public uint Checksum { get; private set; }

        public bool Has(string uid) => false;

        public void Begin(string uid, long size)
        {
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            Octets += count;
            for (int i = 0; i < count; i++)
            {
                Checksum = (Checksum * 31) + buffer[offset + i];
            }
        }

        public bool Commit()
        {
            Committed++;
            return true;
        }

        public void Abort()
        {
        }
    }

    /// <summary>The faults the matrix injects at one protocol step.</summary>
    public enum Fault
    {
        /// <summary>The server drops the connection instead of answering.</summary>
        Cut,

        /// <summary>The server never answers; the clock passes the step's deadline.</summary>
        Stall,

        /// <summary>A line that is no reply at all.</summary>
        Garbage,

        /// <summary>A reply line of more than 512 octets (64 KB without a line end).</summary>
        OverLong,

        /// <summary>A well-formed reply the step does not expect.</summary>
        Unexpected,

        /// <summary>The normal reply, split in two at every byte boundary (and sent one byte at a time).</summary>
        Split,
    }

    /// <summary>One step of a scripted dialogue: what the client sends, then what the server answers.</summary>
    internal sealed class Step
    {
        public Step(string row, string expect, string reply, bool tls = false, bool clientStream = false, bool serverStream = false)
        {
            Row = row;
            Expect = expect == null ? null : Encoding.ASCII.GetBytes(expect);
            Reply = Encoding.Latin1.GetBytes(reply);
            Tls = tls;
            ClientStream = clientStream;
            ServerStream = serverStream;
        }

        /// <summary>The matrix row this step is ("EHLO", "RETR body").</summary>
        public string Row { get; }

        /// <summary>How the client's command starts (null: not checked).</summary>
        public byte[] Expect { get; }

        /// <summary>The server's normal answer, CRLFs included.</summary>
        public byte[] Reply { get; }

        /// <summary>After the reply the client runs the TLS handshake.</summary>
        public bool Tls { get; }

        /// <summary>The step is the client streaming message data (SMTP body): no reply.</summary>
        public bool ClientStream { get; }

        /// <summary>The reply is message data (POP RETR body).</summary>
        public bool ServerStream { get; }
    }

    /// <summary>A whole scripted dialogue and how to build the session that runs it.</summary>
    internal sealed class Scenario
    {
        public Scenario(string name, Func<ClientSession> create, Func<ClientSession, int> errorCode, Func<ClientSession, byte[][]> credentials, params Step[] steps)
        {
            Name = name;
            Create = create;
            ErrorCode = errorCode;
            Credentials = credentials;
            Steps = steps;
        }

        public string Name { get; }

        public Func<ClientSession> Create { get; }

        public Func<ClientSession, int> ErrorCode { get; }

        /// <summary>The credential arrays the session was given (to check they are cleared).</summary>
        public Func<ClientSession, byte[][]> Credentials { get; }

        public Step[] Steps { get; }

        public int IndexOf(string row) => Array.FindIndex(Steps, s => s.Row == row);
    }

    /// <summary>What one run of a scenario ended with.</summary>
    internal sealed class CellOutcome
    {
        public bool Done { get; init; }

        public int Code { get; init; }

        public long Allocated { get; init; }

        public bool CredentialsCleared { get; init; }

        public byte[] Transcript { get; init; }

        public string Problem { get; init; }
    }

    /// <summary>
    /// Drives a session through a scenario on a virtual clock, replacing the server's answer at one step with a
    /// fault. After the fault a plain server answers whatever the client still says by the script (QUIT, HELO, a
    /// later command); when the client waits with nothing to answer, the server hangs up. Every byte the
    /// session sends goes into a buffer allocated before the run, so the allocation measured is the session's.
    /// </summary>
    internal sealed class ScriptDriver
    {
        private const int MaxTranscript = 1 << 17;

        private readonly Scenario _scenario;
        private readonly byte[] _sent = new byte[MaxTranscript];
        private readonly byte[] _garbage = Encoding.ASCII.GetBytes("Hello? \u0001\u00ff this is not a reply\r\n");
        private readonly byte[] _overLong;
        private readonly byte[] _unexpected;
        private int _sentLength;
        private long _now = 1000;
        private ClientSession _session;

        public ScriptDriver(Scenario scenario, string overLongPrefix, byte[] unexpected)
        {
            _scenario = scenario;
            _overLong = new byte[64 * 1024];
            Array.Fill(_overLong, (byte)'x');
            Encoding.ASCII.GetBytes(overLongPrefix).CopyTo(_overLong, 0);
            _unexpected = unexpected;
        }

        /// <summary>Bytes (CRLF-ended) the Unexpected fault sends at <paramref name="row"/>; defaults to the driver's.</summary>
        public Func<string, byte[]> UnexpectedAt { get; set; }

        /// <summary>Runs the scenario with <paramref name="fault"/> at step <paramref name="target"/> (-1: no fault); <paramref name="split"/> is the split point (0: one byte at a time).</summary>
        public CellOutcome Run(int target, Fault fault, int split = 0)
        {
            _sentLength = 0;
            _now = 1000;
            long before = GC.GetAllocatedBytesForCurrentThread();
            _session = _scenario.Create();
            byte[][] credentials = _scenario.Credentials(_session);
            _session.Start(_now);
            _session.OnConnected("192.0.2.7", _now);
            string problem = null;
            Step[] steps = _scenario.Steps;
            for (int i = 0; i < steps.Length && !_session.IsDone && problem == null; i++)
            {
                Step step = steps[i];
                bool isTarget = i == target;
                if (step.ClientStream)
                {
                    if (isTarget)
                    {
                        InjectInStream(fault);
                        if (fault != Fault.Split)
                        {
                            break;
                        }
                    }

                    continue;
                }

                int start = _sentLength;
                Drain(int.MaxValue);
                if (step.Expect != null && !StartsWith(start, step.Expect))
                {
                    problem = step.Row + ": client sent '" + Text(start) + "'";
                    break;
                }

                if (!isTarget)
                {
                    Answer(step);
                    continue;
                }

                Inject(step, fault, split);
                if (fault != Fault.Split)
                {
                    break;
                }

                if (step.Tls && !_session.IsDone)
                {
                    _session.OnTlsStarted(_now);
                }
            }

            if (problem == null)
            {
                FollowUp(target);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            bool cleared = true;
            foreach (byte[] secret in credentials)
            {
                cleared &= secret == null || Array.TrueForAll(secret, b => b == 0);
            }

            byte[] transcript = new byte[_sentLength];
            Array.Copy(_sent, transcript, _sentLength);
            return new CellOutcome
            {
                Done = _session.IsDone,
                Code = _scenario.ErrorCode(_session),
                Allocated = allocated,
                CredentialsCleared = cleared,
                Transcript = transcript,
                Problem = problem,
            };
        }

        private void Answer(Step step)
        {
            _session.Receive(step.Reply, 0, step.Reply.Length, _now);
            if (step.Tls && !_session.IsDone)
            {
                _session.OnTlsStarted(_now);
            }
        }

        private void Inject(Step step, Fault fault, int split)
        {
            byte[] reply = step.Reply;
            int half = step.ServerStream ? reply.Length / 2 : 0;
            switch (fault)
            {
                case Fault.Cut:
                    _session.Receive(reply, 0, half, _now);
                    _session.OnConnectionEnded(NetError.None, "closed by the server");
                    break;

                case Fault.Stall:
                    _session.Receive(reply, 0, half, _now);
                    PassDeadline();
                    break;

                case Fault.Garbage:
                case Fault.OverLong:
                case Fault.Unexpected:
                    byte[] bad = fault == Fault.Garbage ? _garbage : fault == Fault.OverLong ? _overLong : (UnexpectedAt?.Invoke(step.Row) ?? _unexpected);
                    _session.Receive(reply, 0, half, _now);
                    _session.Receive(bad, 0, bad.Length, _now);
                    if (step.ServerStream)
                    {
                        // Inside message data the fault is content: the rest of the message follows.
                        _session.Receive(reply, half, reply.Length - half, _now);
                    }

                    break;

                case Fault.Split:
                    if (split <= 0)
                    {
                        for (int i = 0; i < reply.Length && !_session.IsDone; i++)
                        {
                            _session.Receive(reply, i, 1, _now);
                        }
                    }
                    else
                    {
                        _session.Receive(reply, 0, split, _now);
                        _session.Receive(reply, split, reply.Length - split, _now);
                    }

                    break;
            }
        }

        /// <summary>The fault while the client streams message data: some of it has been taken by then.</summary>
        private void InjectInStream(Fault fault)
        {
            if (fault == Fault.Split)
            {
                Drain(1);
                return;
            }

            TakeSome(1000);
            switch (fault)
            {
                case Fault.Cut:
                    _session.OnConnectionEnded(NetError.None, "closed by the server");
                    break;
                case Fault.Stall:
                    PassDeadline();
                    break;
                default:
                    byte[] bad = fault == Fault.Garbage ? _garbage : fault == Fault.OverLong ? _overLong : (UnexpectedAt?.Invoke("body") ?? _unexpected);
                    _session.Receive(bad, 0, bad.Length, _now);
                    break;
            }
        }

        private void PassDeadline()
        {
            long deadline = _session.Deadline;
            _now = deadline - 1;
            _session.CheckTimeout(_now);
            if (_session.IsDone)
            {
                throw new InvalidOperationException("the session timed out before its deadline");
            }

            _now = deadline;
            _session.CheckTimeout(_now);
        }

        /// <summary>After the fault: answer what the client says by the script, hang up when it only waits.</summary>
        private void FollowUp(int target)
        {
            for (int round = 0; round < 40 && !_session.IsDone; round++)
            {
                int start = _sentLength;
                Drain(int.MaxValue);
                if (_session.IsDone)
                {
                    return;
                }

                Step answer = null;
                if (_sentLength > start)
                {
                    answer = EndsWithDot(start) ? DotStep() : Array.Find(_scenario.Steps, s => s.Expect != null && StartsWith(start, s.Expect));
                }

                if (answer == null)
                {
                    _session.OnConnectionEnded(NetError.None, "closed by the server");
                    return;
                }

                Answer(answer);
                if (answer.ServerStream)
                {
                    continue;
                }

                int next = Array.IndexOf(_scenario.Steps, answer) + 1;
                if (next < _scenario.Steps.Length && _scenario.Steps[next].ServerStream)
                {
                    Answer(_scenario.Steps[next]);
                }
            }
        }

        private Step DotStep()
        {
            int stream = Array.FindIndex(_scenario.Steps, s => s.ClientStream);
            return stream >= 0 ? _scenario.Steps[stream + 1] : null;
        }

        private void TakeSome(int count)
        {
            int n = Math.Min(count, _session.OutputCount);
            Record(n);
            _session.OnSent(n, _now);
        }

        private void Drain(int piece)
        {
            while (_session.OutputCount > 0 && !_session.IsDone)
            {
                int n = Math.Min(piece, _session.OutputCount);
                Record(n);
                _session.OnSent(n, _now);
            }
        }

        private void Record(int n)
        {
            Array.Copy(_session.Output, _session.OutputOffset, _sent, _sentLength, n);
            _sentLength += n;
        }

        private bool StartsWith(int start, byte[] prefix)
        {
            if (_sentLength - start < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (_sent[start + i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private bool EndsWithDot(int start) =>
            _sentLength - start >= 3 && _sent[_sentLength - 3] == '.' && _sent[_sentLength - 2] == '\r' && _sent[_sentLength - 1] == '\n'
            && (_sentLength - start == 3 || _sent[_sentLength - 4] == '\n');

        private string Text(int start) => Encoding.Latin1.GetString(_sent, start, Math.Min(80, _sentLength - start)).Replace("\r\n", "|");
    }
}
