namespace NetBoard.Firmware.Panel
{
    /// <summary>
    /// The panel's OAuth 2.0 entries (Authent./Encryption > OAuth 2.0), offered by the <see cref="IPanelActions"/> of a
    /// board that keeps OAuth tokens. The lines are asked again at every redraw, so a sign-in shows its progress.
    /// </summary>
    public interface IOAuthPanelActions
    {
        /// <summary>Starts a device sign-in; returns null, or a short reason it cannot start.</summary>
        string StartOAuthSignIn();

        /// <summary>The sign-in screen: the user code and the verification URI, then the outcome. Never a token.</summary>
        string[] OAuthSignInLines();

        /// <summary>The token state and the account it is for.</summary>
        string[] OAuthStatusLines();

        /// <summary>Forgets the tokens; returns a short message for the display.</summary>
        string OAuthSignOut();
    }
}
