using System;
using System.Collections.Generic;
using System.Linq;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.OAuth
{
    /// <summary>Authent./Encryption > OAuth 2.0 on a 4x20 display, over the runtime's token keeper and a scripted authorization server.</summary>
    public class OAuthPanelTests
    {
        private readonly VirtualClock _clock = new VirtualClock();
        private readonly DeviceRuntime _runtime;
        private readonly PanelController _panel;
        private readonly ScriptedHttpServer _server;
        private string _decision = "authorization_pending";

        public OAuthPanelTests()
        {
            var settings = new DeviceSettings();
            settings.Set(SettingKeys.OAuthProvider, "custom");
            settings.Set(SettingKeys.OAuthClientId, "lab-device");
            settings.Set(SettingKeys.OAuthDeviceEndpoint, "http://127.0.0.1:42080/connect/device");
            settings.Set(SettingKeys.OAuthTokenEndpoint, "http://127.0.0.1:42080/connect/token");
            settings.Set(SettingKeys.OAuthScope, "mail offline_access");
            settings.Set(SettingKeys.SmtpUser, "oauth@lab.test");
            _server = new ScriptedHttpServer(r => r.RequestLine.Contains("/connect/device")
                ? ScriptedHttpServer.Json(200, "{\"device_code\":\"dc-SECRET\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"https://microsoft.com/devicelogin\",\"expires_in\":300,\"interval\":2}")
                : _decision == "ok"
                    ? ScriptedHttpServer.Json(200, "{\"access_token\":\"at-SECRET\",\"refresh_token\":\"rt-SECRET\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                    : ScriptedHttpServer.Json(400, "{\"error\":\"" + _decision + "\"}"));
            _runtime = new DeviceRuntime(new SettingsKeeper(settings, null), _server, _clock, _clock, new MemoryStorage(), new VirtualTimer(_clock), null);
            var services = new DevicePanelServices(_runtime.Context, _runtime.Queue, _runtime.Sender, _runtime.Receiver);
            _panel = new PanelController(_runtime.Context.SettingsKeeper, 20, 4, services, services);
        }

        private string Screen => string.Join("|", _panel.Render());

        private string Text => string.Join(" ", _panel.Render());

        private void Open(MenuNodeKind kind)
        {
            MenuNode node = _panel.Root.Find(kind);
            var path = new Stack<int>();
            for (MenuNode n = node; n.Parent != null; n = n.Parent)
            {
                path.Push(n.IndexInParent);
            }

            Assert.Equal("OAuth 2.0", node.Parent.Label);
            Assert.Equal("Authent./Encryption", node.Parent.Parent.Label);
            _panel.OnKey(PanelKey.Menu, '\0');
            while (path.Count > 0)
            {
                for (int i = path.Pop(); i > 0; i--)
                {
                    _panel.OnKey(PanelKey.Down, '\0');
                }

                _panel.OnKey(PanelKey.Set, '\0');
            }
        }

        private void RunUntil(Func<bool> done)
        {
            for (int i = 0; i < 100_000 && !done(); i++)
            {
                _runtime.RunOnce();
            }

            Assert.True(done(), Screen);
        }

        [Fact]
        public void Sign_in_shows_the_user_code_and_the_whole_uri_then_signed_in_as_the_account()
        {
            Open(MenuNodeKind.OAuthStatus);
            Assert.Contains("sign-in needed #860", Text);
            _panel.OnKey(PanelKey.Back, '\0');
            _panel.OnKey(PanelKey.Menu, '\0');

            Open(MenuNodeKind.OAuthSignIn);
            RunUntil(() => _runtime.OAuth.SignInState == OAuthSignInState.WaitingForUser);
            string[] frame = _panel.Render();
            Assert.Equal(4, frame.Length);
            Assert.All(frame, line => Assert.True(line.Length <= 20));
            Assert.Equal("Code: BCDF-GHJK", frame[0]);
            Assert.Equal("https://microsoft.com/devicelogin", frame[1] + frame[2]);

            _decision = "ok";
            RunUntil(() => _runtime.OAuth.SignInState == OAuthSignInState.SignedIn);
            Assert.Equal("Signed in|as oauth@lab.test||", Screen);
            Assert.DoesNotContain("SECRET", Screen);

            _panel.OnKey(PanelKey.Back, '\0');
            _panel.OnKey(PanelKey.Down, '\0');
            _panel.OnKey(PanelKey.Set, '\0');
            Assert.StartsWith("OAuth: ready|as oauth@lab.test", Screen);
        }

        [Fact]
        public void A_denied_sign_in_says_so_with_its_code_and_sign_out_forgets_tokens()
        {
            Open(MenuNodeKind.OAuthSignIn);
            _decision = "access_denied";
            RunUntil(() => _runtime.OAuth.SignInState == OAuthSignInState.Failed);
            Assert.StartsWith("Sign-in failed #864 OAuth sign-in denied", Text);

            _panel.OnKey(PanelKey.Back, '\0');
            _decision = "ok";
            _panel.OnKey(PanelKey.Set, '\0');
            RunUntil(() => _runtime.OAuth.SignInState == OAuthSignInState.SignedIn);
            _panel.OnKey(PanelKey.Back, '\0');
            _panel.OnKey(PanelKey.Menu, '\0');
            Open(MenuNodeKind.OAuthSignOut);
            Assert.StartsWith("Signed out", Screen);
            Assert.False(_runtime.OAuth.IsSignedIn);
        }

        [Fact]
        public void Sign_in_with_oauth_off_says_why()
        {
            var panel = new PanelController(new SettingsKeeper(new DeviceSettings(), null), 20, 4, null, null);
            Assert.Contains(panel.Root.Find(MenuNodeKind.OAuthSignIn).Parent.Label, "OAuth 2.0");
        }
    }
}
