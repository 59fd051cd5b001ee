namespace NetBoard.Firmware.Panel
{
    /// <summary>What a menu entry does when it is entered.</summary>
    public enum MenuNodeKind
    {
        /// <summary>Holds further entries.</summary>
        Folder,

        /// <summary>Edits one settings key.</summary>
        Setting,

        /// <summary>Shows the job status lines.</summary>
        JobStatus,

        /// <summary>Shows the journal lines.</summary>
        Journal,

        /// <summary>Sends a test e-mail and shows the result.</summary>
        SendTestEmail,

        /// <summary>Resets every setting to its factory value after a confirmation.</summary>
        FactoryReset,

        /// <summary>Starts an OAuth 2.0 device sign-in and shows the user code and verification URI.</summary>
        OAuthSignIn,

        /// <summary>Shows the OAuth 2.0 token state.</summary>
        OAuthStatus,

        /// <summary>Forgets the OAuth 2.0 tokens.</summary>
        OAuthSignOut,
    }
}
