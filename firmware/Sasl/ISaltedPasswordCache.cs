namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// Keeps SCRAM salted passwords (the PBKDF2 result) between logins, keyed by mechanism, user, salt and
    /// iteration count, so that a repeat login costs a few HMACs instead of thousands of PBKDF2 rounds.
    /// An entry is only used with the password it was made from. Implementations never log and never throw:
    /// a cache that cannot be read or written is a cache miss.
    /// </summary>
    public interface ISaltedPasswordCache
    {
        /// <summary>Copies the cached salted password into <paramref name="saltedPassword"/>.</summary>
        /// <param name="mechanism">The mechanism name, e.g. "SCRAM-SHA-256".</param>
        /// <param name="user">The prepared user name (UTF-8).</param>
        /// <param name="password">The prepared password (UTF-8); an entry made from another password is not returned.</param>
        /// <param name="salt">The salt the server sent.</param>
        /// <param name="iterations">The iteration count the server sent.</param>
        /// <param name="saltedPassword">Receives the salted password; its length is the hash's digest size.</param>
        /// <returns>True when an entry was found and copied.</returns>
        bool TryGet(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword);

        /// <summary>Stores a salted password that the server has just confirmed (its signature checked out).</summary>
        /// <param name="mechanism">The mechanism name.</param>
        /// <param name="user">The prepared user name.</param>
        /// <param name="password">The prepared password it was derived from.</param>
        /// <param name="salt">The salt.</param>
        /// <param name="iterations">The iteration count.</param>
        /// <param name="saltedPassword">The salted password.</param>
        void Put(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword);

        /// <summary>Drops the entry for this login, e.g. after the server refused a proof made from it.</summary>
        /// <param name="mechanism">The mechanism name.</param>
        /// <param name="user">The prepared user name.</param>
        /// <param name="salt">The salt.</param>
        /// <param name="iterations">The iteration count.</param>
        void Remove(string mechanism, byte[] user, byte[] salt, int iterations);
    }
}
