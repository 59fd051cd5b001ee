namespace NetBoard.Firmware.Web
{
    /// <summary>The web page's one style sheet, served as /style.css (the Content-Security-Policy allows no inline style).</summary>
    internal static class WebStyle
    {
        /// <summary>The style sheet.</summary>
        internal const string Css =
            "body{font:15px/1.4 sans-serif;margin:0;color:#222;background:#f4f4f4}"
            + "header{background:#234;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;align-items:center;gap:1em}"
            + "header h1{font-size:1.2em;margin:0}header a{color:#fff}nav{display:flex;gap:1em;align-items:center}"
            + "nav form{margin:0}main{max-width:48em;margin:1em auto;padding:0 1em}"
            + "fieldset{background:#fff;border:1px solid #ccc;margin:0 0 1em;padding:.5em 1em 1em}legend{font-weight:bold}"
            + ".field{display:grid;grid-template-columns:13em 1fr;gap:.5em;align-items:center;margin:.3em 0}"
            + "input,select{font:inherit;padding:.2em}.hint{color:#666;font-size:.85em;grid-column:2}"
            + ".error{color:#a00;font-weight:bold}.ok{color:#060;font-weight:bold}"
            + "table{border-collapse:collapse;background:#fff;width:100%}td,th{border:1px solid #ccc;padding:.2em .4em;text-align:left}"
            + "ol.journal{background:#fff;border:1px solid #ccc;padding:.5em 2.5em;font-family:monospace}"
            + "button{font:inherit;padding:.3em 1em}.pages{display:flex;gap:1em;margin:.5em 0}";
    }
}
