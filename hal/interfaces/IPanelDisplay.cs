namespace NetBoard.Hal
{
    /// <summary>The character display of the operation panel (an LCD of a few rows on the device, a box on the virtual board).</summary>
    public interface IPanelDisplay
    {
        /// <summary>Characters per row.</summary>
        int Columns { get; }

        /// <summary>Number of rows.</summary>
        int Rows { get; }

        /// <summary>
        /// Shows a whole frame: row i shows <paramref name="lines"/>[i]. Missing rows are blank, longer
        /// lines are cut at <see cref="Columns"/>, shorter ones padded with blanks.
        /// </summary>
        void Show(string[] lines);

        /// <summary>Places the text cursor (zero-based); displays without a cursor ignore this.</summary>
        void SetCursor(int row, int column, bool visible);
    }
}
