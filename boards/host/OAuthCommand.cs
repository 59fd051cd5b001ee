using System;
using System.IO;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Settings;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// `oauth login|status|logout|secret`: the OAuth 2.0 sign-in and tokens of the board whose data folder is given,
    /// through the firmware's token keeper (the same code the panel's OAuth 2.0 menu uses). Tokens and the client secret
    /// go into the data folder's credential store (owner-only files), never into the settings file or the output.
    /// </summary>
    internal static class OAuthCommand
    {
        /// <summary>How long `status` lets the keeper fetch a token before it reports (a bound, not a wait).</summary>
        private static readonly TimeSpan StatusBound = TimeSpan.FromSeconds(70);

        public static int Run(string action, CommandLine line, TextReader input, TextWriter output, TextWriter error)
        {
            string settingsPath = line.Get("--settings");
            if (settingsPath == null)
            {
                error.WriteLine("virtual-board: oauth " + action + " needs --settings");
                return Program.ExitUsage;
            }

            DeviceSettings settings = SettingsFile.Load(settingsPath, error);
            if (settings == null)
            {
                return Program.ExitUsage;
            }

            using (HostBoard board = HostBoard.Open(settings, line.Get("--data") ?? HostBoard.DefaultDataFolder(settingsPath), null))
            {
                if (line.Has("--verbose"))
                {
                    board.Context.SessionLog = new ConsoleSessionLog(error);
                }

                OAuthTokenKeeper keeper = board.Runtime.OAuth;
                switch (action)
                {
                    case "login":
                        return Login(board, keeper, output, error);
                    case "status":
                        return Status(board, keeper, output);
                    case "logout":
                        string problem = keeper.SignOut();
                        output.WriteLine(problem == null ? "Signed out." : "Sign-out failed: " + problem);
                        return problem == null ? 0 : Program.ExitJobFailed;
                    case "secret":
                        return Secret(keeper, input, output, error);
                    default:
                        error.WriteLine("virtual-board: unknown oauth action '" + action + "' (login, status, logout, secret)");
                        return Program.ExitUsage;
                }
            }
        }

        private static int Login(HostBoard board, OAuthTokenKeeper keeper, TextWriter output, TextWriter error)
        {
            string problem = keeper.StartSignIn();
            if (problem != null)
            {
                error.WriteLine("virtual-board: cannot sign in: " + problem);
                return Program.ExitJobFailed;
            }

            board.RunUntil(() => keeper.SignInState != OAuthSignInState.Starting);
            if (keeper.SignInState == OAuthSignInState.WaitingForUser)
            {
                output.WriteLine("To sign in, open " + keeper.VerificationUri + " and enter the code " + keeper.UserCode);
                if (keeper.VerificationUriComplete.Length > 0)
                {
                    output.WriteLine("(or open " + keeper.VerificationUriComplete + ")");
                }

                output.WriteLine("Waiting for the sign-in...");
                output.Flush();
                board.RunUntil(() => keeper.SignInState != OAuthSignInState.WaitingForUser);
            }

            if (keeper.SignInState == OAuthSignInState.SignedIn)
            {
                output.WriteLine("Signed in.");
                return 0;
            }

            int code = keeper.SignInErrorCode;
            output.WriteLine("Sign-in failed " + UserErrorCode.Format(code) + ": " + UserErrorCode.Describe(code));
            return Program.ExitJobFailed;
        }

        private static int Status(HostBoard board, OAuthTokenKeeper keeper, TextWriter output)
        {
            DateTime giveUp = DateTime.UtcNow + StatusBound;
            board.RunUntil(() => keeper.Status != OAuthTokenStatus.Refreshing || DateTime.UtcNow > giveUp);
            output.WriteLine(keeper.StatusLine());
            output.WriteLine("Client secret: " + (keeper.HasClientSecret ? "stored" : "none"));
            return keeper.Status == OAuthTokenStatus.Ready ? 0 : Program.ExitJobFailed;
        }

        private static int Secret(OAuthTokenKeeper keeper, TextReader input, TextWriter output, TextWriter error)
        {
            // One line from standard input, so the secret is never on a command line or in the shell's history.
            string text = input.ReadLine() ?? string.Empty;
            byte[] secret = Encoding.UTF8.GetBytes(text);
            string problem = keeper.SetClientSecret(secret);
            Array.Clear(secret, 0, secret.Length);
            if (problem != null)
            {
                error.WriteLine("virtual-board: client secret refused: " + problem);
                return Program.ExitUsage;
            }

            output.WriteLine(text.Length == 0 ? "Client secret removed." : "Client secret stored.");
            return 0;
        }
    }
}
