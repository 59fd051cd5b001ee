using System;

namespace NetBoard.Hal
{
    /// <summary>
    /// A listening TCP socket. <see cref="Accept"/> returns at once: a connection that a client has
    /// already opened, or null, so the scheduler thread never waits for a client.
    /// </summary>
    public interface INetListener : IDisposable
    {
        /// <summary>True until <see cref="Close"/> is called or the stack fails the socket.</summary>
        bool IsListening { get; }

        /// <summary>The port the listener is bound to (the stack's choice when 0 was asked for).</summary>
        int LocalPort { get; }

        /// <summary>
        /// Takes the next pending connection, already in the Open state, or returns null when no client
        /// is waiting (or the listener is closed). The caller owns the connection and closes it.
        /// </summary>
        INetConnection Accept();

        /// <summary>Stops listening; safe to call more than once. Accepted connections stay open.</summary>
        void Close();
    }
}
