namespace NetBoard.Lab.OAuth
{
    /// <summary>A person who signs in at the verification page to approve a device.</summary>
    public sealed class LabUser
    {
        /// <summary>The sign-in name (the token's subject).</summary>
        public string Name { get; set; }

        /// <summary>The sign-in password (test-only).</summary>
        public string Password { get; set; }

        /// <summary>The mailbox the user's tokens act for (the mailbox claim).</summary>
        public string Mailbox { get; set; }
    }
}
