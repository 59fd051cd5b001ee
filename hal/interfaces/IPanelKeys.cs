namespace NetBoard.Hal
{
    /// <summary>The keys of the operation panel, read without blocking.</summary>
    public interface IPanelKeys
    {
        /// <summary>
        /// Takes the next pressed key, if any. <paramref name="character"/> is the typed character
        /// when <paramref name="key"/> is <see cref="PanelKey.Character"/>, else '\0'.
        /// </summary>
        /// <returns>False (and <see cref="PanelKey.None"/>) when no key is waiting.</returns>
        bool TryReadKey(out PanelKey key, out char character);
    }
}
