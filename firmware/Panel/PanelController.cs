using System;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Panel
{
    /// <summary>
    /// The operation panel's logic: the ready screen, the menu, value editing, status screens and actions.
    /// Feed it keys with <see cref="OnKey"/> and draw what <see cref="Render"/> returns (or let
    /// <see cref="Service"/> do both). In menus Up/Down move, Set/Right enter, Back/Left leave, Menu
    /// goes to the ready screen and back. While editing, Up/Down pick the next/previous choice or the
    /// character at the cursor, Left/Right move the cursor, typed characters are inserted, Set stores
    /// and Back cancels. Storing changes a copy of the settings in force and commits it through the
    /// <see cref="SettingsKeeper"/> (checked, saved, swapped in whole); a refused value or a failed save
    /// is shown and leaves the settings in force as they were. On the Job Status and Journal screens
    /// Up/Down pick a line and Set shows it whole, wrapped over the display (Up/Down scroll it, Back or
    /// Set return), so lines longer than the display can be read.
    /// </summary>
    public sealed class PanelController
    {
        /// <summary>Narrowest display the controller can draw on, in characters.</summary>
        public const int MinColumns = 8;

        /// <summary>Fewest display rows the controller can draw on.</summary>
        public const int MinRows = 2;

        /// <summary>What a password shows instead of its value; the same for every length.</summary>
        public const string SecretMask = "********";

        private const string ResetQuestion = "Reset all? Set=Yes Back=No";
        private const string EditHint = "Set=OK Back=Cancel";
        private const string MoreHint = "Set=more";

        // Keys handled per Service call, so a key source that never runs dry cannot stall the board.
        private const int MaxKeysPerService = 32;

        private readonly SettingsKeeper _settings;
        private readonly int _columns;
        private readonly int _rows;
        private readonly IPanelInfo _info;
        private readonly IPanelActions _actions;
        private readonly IOAuthPanelActions _oauth;
        private readonly MenuNode _root;

        private Mode _mode;
        private MenuNode _folder;
        private int _selected;
        private MenuNode _editing;
        private int _choice;
        private string _text;
        private int _cursor;
        private bool _touched;
        private bool _reveal;
        private int _screenLine;
        private string _detail;
        private int _detailScroll;
        private MenuNodeKind _live;
        private string _message;
        private Mode _afterMessage;
        private string _notice;
        private int _cursorColumn;
        private string[] _shown;
        private bool _shownCursorVisible;
        private int _shownCursorColumn;

        /// <summary>
        /// Creates the panel over the settings <paramref name="settings"/> keeps, on a display of
        /// <paramref name="columns"/> x <paramref name="rows"/>. <paramref name="info"/> and
        /// <paramref name="actions"/> may be null when the board has none.
        /// </summary>
        public PanelController(SettingsKeeper settings, int columns, int rows, IPanelInfo info, IPanelActions actions)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            if (columns < MinColumns || rows < MinRows)
            {
                throw new ArgumentOutOfRangeException("columns", "display too small");
            }

            _settings = settings;
            _columns = columns;
            _rows = rows;
            _info = info;
            _actions = actions;
            _oauth = actions as IOAuthPanelActions;
            _root = PanelMenu.Build();
            _folder = _root;
            _mode = Mode.Ready;
        }

        private enum Mode
        {
            Ready,
            Menu,
            EditChoice,
            EditText,
            Screen,
            Message,
            Confirm,
            Detail,
            Live,
        }

        /// <summary>Characters per row.</summary>
        public int Columns
        {
            get { return _columns; }
        }

        /// <summary>Rows of the display.</summary>
        public int Rows
        {
            get { return _rows; }
        }

        /// <summary>The settings in force, which the panel shows and changes by commits.</summary>
        public DeviceSettings Settings
        {
            get { return _settings.Current; }
        }

        /// <summary>The menu tree.</summary>
        public MenuNode Root
        {
            get { return _root; }
        }

        /// <summary>True while a value is being typed (the display should show its cursor).</summary>
        public bool CursorVisible
        {
            get { return _notice == null && _mode == Mode.EditText; }
        }

        /// <summary>The cursor's row while <see cref="CursorVisible"/>.</summary>
        public int CursorRow
        {
            get { return 1; }
        }

        /// <summary>The cursor's column in the last <see cref="Render"/> while <see cref="CursorVisible"/>.</summary>
        public int CursorColumn
        {
            get { return _cursorColumn; }
        }

        /// <summary>Shows <paramref name="message"/> (e.g. "Settings restored from backup") until the next key, which it swallows.</summary>
        public void ShowNotice(string message)
        {
            _notice = message == null || message.Length == 0 ? null : message;
        }

        /// <summary>Handles one key; <paramref name="character"/> is the typed character for <see cref="PanelKey.Character"/>.</summary>
        public void OnKey(PanelKey key, char character)
        {
            if (key == PanelKey.None)
            {
                return;
            }

            if (_notice != null)
            {
                _notice = null;
                return;
            }

            if (key == PanelKey.Menu)
            {
                ToggleMenu();
                return;
            }

            switch (_mode)
            {
                case Mode.Ready:
                    if (key == PanelKey.Set || key == PanelKey.Right)
                    {
                        ToggleMenu();
                    }

                    break;
                case Mode.Menu:
                    OnMenuKey(key);
                    break;
                case Mode.EditChoice:
                    OnChoiceKey(key);
                    break;
                case Mode.EditText:
                    OnTextKey(key, character);
                    break;
                case Mode.Screen:
                    OnScreenKey(key);
                    break;
                case Mode.Detail:
                    OnDetailKey(key);
                    break;
                case Mode.Message:
                    _mode = _afterMessage;
                    break;
                case Mode.Live:
                    if (key == PanelKey.Back || key == PanelKey.Left || key == PanelKey.Set)
                    {
                        // A sign-in goes on in the background; the Status entry shows how it ends.
                        _mode = Mode.Menu;
                    }

                    break;
                default:
                    OnConfirmKey(key);
                    break;
            }
        }

        /// <summary>The frame to show: exactly <see cref="Rows"/> lines of at most <see cref="Columns"/> characters.</summary>
        public string[] Render()
        {
            string[] lines = new string[_rows];
            for (int i = 0; i < _rows; i++)
            {
                lines[i] = string.Empty;
            }

            if (_notice != null)
            {
                PutWrapped(lines, 0, _notice);
                return lines;
            }

            switch (_mode)
            {
                case Mode.Ready:
                    RenderReady(lines);
                    break;
                case Mode.Menu:
                    RenderMenu(lines);
                    break;
                case Mode.EditChoice:
                    lines[0] = PanelText.Fit(_editing.Label, _columns);
                    lines[1] = PanelText.Fit(_editing.Definition.ChoiceLabel(_editing.Definition.Choices[_choice]), _columns);
                    PutHint(lines);
                    break;
                case Mode.EditText:
                    RenderText(lines);
                    break;
                case Mode.Screen:
                    RenderScreen(lines);
                    break;
                case Mode.Detail:
                    RenderDetail(lines);
                    break;
                case Mode.Message:
                    PutWrapped(lines, 0, _message);
                    break;
                case Mode.Live:
                    RenderLive(lines);
                    break;
                default:
                    PutWrapped(lines, 0, ResetQuestion);
                    break;
            }

            return lines;
        }

        /// <summary>
        /// Hands every waiting key of <paramref name="keys"/> to <see cref="OnKey"/>, then shows the frame on
        /// <paramref name="display"/> if it changed. Returns true when it redrew.
        /// </summary>
        public bool Service(IPanelKeys keys, IPanelDisplay display)
        {
            PanelKey key;
            char character;
            for (int i = 0; i < MaxKeysPerService && keys != null && keys.TryReadKey(out key, out character); i++)
            {
                OnKey(key, character);
                if (CursorVisible != _shownCursorVisible)
                {
                    // Tell the display at once: a keyboard panel reads the next keys as text only while the cursor shows.
                    Render();
                    display.SetCursor(CursorRow, _cursorColumn, CursorVisible);
                    _shownCursorVisible = CursorVisible;
                    _shownCursorColumn = _cursorColumn;
                }
            }

            string[] frame = Render();
            bool redraw = !Same(frame, _shown);
            if (redraw)
            {
                display.Show(frame);
                _shown = frame;
            }

            bool visible = CursorVisible;
            if (redraw || visible != _shownCursorVisible || _cursorColumn != _shownCursorColumn)
            {
                display.SetCursor(CursorRow, _cursorColumn, visible);
                _shownCursorVisible = visible;
                _shownCursorColumn = _cursorColumn;
            }

            return redraw;
        }

        private static bool Same(string[] a, string[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void ToggleMenu()
        {
            if (_mode == Mode.Ready)
            {
                _folder = _root;
                _selected = 0;
                _mode = Mode.Menu;
            }
            else
            {
                _mode = Mode.Ready;
            }
        }

        private void OnMenuKey(PanelKey key)
        {
            switch (key)
            {
                case PanelKey.Up:
                    _selected = _selected > 0 ? _selected - 1 : 0;
                    break;
                case PanelKey.Down:
                    _selected = _selected < _folder.Count - 1 ? _selected + 1 : _selected;
                    break;
                case PanelKey.Set:
                case PanelKey.Right:
                    Enter(_folder.Child(_selected));
                    break;
                case PanelKey.Back:
                case PanelKey.Left:
                    if (_folder.Parent == null)
                    {
                        _mode = Mode.Ready;
                    }
                    else
                    {
                        _selected = _folder.IndexInParent;
                        _folder = _folder.Parent;
                    }

                    break;
            }
        }

        private void Enter(MenuNode node)
        {
            switch (node.Kind)
            {
                case MenuNodeKind.Folder:
                    _folder = node;
                    _selected = 0;
                    break;
                case MenuNodeKind.Setting:
                    StartEdit(node);
                    break;
                case MenuNodeKind.JobStatus:
                case MenuNodeKind.Journal:
                    _screenLine = 0;
                    _mode = Mode.Screen;
                    break;
                case MenuNodeKind.OAuthSignIn:
                    string problem = _oauth == null ? "Not available" : _oauth.StartOAuthSignIn();
                    if (problem != null)
                    {
                        ShowMessage(problem, Mode.Menu);
                        break;
                    }

                    _live = MenuNodeKind.OAuthSignIn;
                    _mode = Mode.Live;
                    break;
                case MenuNodeKind.OAuthStatus:
                    _live = MenuNodeKind.OAuthStatus;
                    _mode = Mode.Live;
                    break;
                case MenuNodeKind.OAuthSignOut:
                    ShowMessage(_oauth == null ? "Not available" : _oauth.OAuthSignOut(), Mode.Menu);
                    break;
                case MenuNodeKind.SendTestEmail:
                    string result = _actions == null ? null : _actions.SendTestEmail();
                    ShowMessage(result == null ? "Not available" : result, Mode.Menu);
                    break;
                default:
                    _mode = Mode.Confirm;
                    break;
            }
        }

        private void StartEdit(MenuNode node)
        {
            _editing = node;
            SettingDefinition definition = node.Definition;
            string value = _settings.Current.Get(definition.Key);
            if (definition.Kind == SettingKind.Choice)
            {
                _choice = 0;
                for (int i = 0; i < definition.Choices.Length; i++)
                {
                    if (definition.Choices[i] == value)
                    {
                        _choice = i;
                    }
                }

                _mode = Mode.EditChoice;
                return;
            }

            // A password is never shown again: its editing starts empty.
            _text = definition.Kind == SettingKind.Secret ? string.Empty : value;
            _cursor = _text.Length;
            _touched = false;
            _reveal = false;
            _mode = Mode.EditText;
        }

        private void OnChoiceKey(PanelKey key)
        {
            int count = _editing.Definition.Choices.Length;
            switch (key)
            {
                case PanelKey.Up:
                    _choice = (_choice + 1) % count;
                    break;
                case PanelKey.Down:
                    _choice = (_choice + count - 1) % count;
                    break;
                case PanelKey.Set:
                    Store(_editing.Definition.Choices[_choice], Mode.EditChoice);
                    break;
                case PanelKey.Back:
                case PanelKey.Left:
                    _mode = Mode.Menu;
                    break;
            }
        }

        private void OnTextKey(PanelKey key, char character)
        {
            _reveal = false;
            switch (key)
            {
                case PanelKey.Character:
                    if (character >= ' ' && character != '\u007F' && _text.Length < SettingsSchema.MaxValueLength)
                    {
                        _text = _text.Substring(0, _cursor) + character + _text.Substring(_cursor);
                        _cursor++;
                        _touched = true;
                    }

                    break;
                case PanelKey.Backspace:
                    if (_cursor > 0)
                    {
                        _text = _text.Substring(0, _cursor - 1) + _text.Substring(_cursor);
                        _cursor--;
                        _touched = true;
                    }

                    break;
                case PanelKey.Left:
                    _cursor = _cursor > 0 ? _cursor - 1 : 0;
                    break;
                case PanelKey.Right:
                    _cursor = _cursor < _text.Length ? _cursor + 1 : _cursor;
                    break;
                case PanelKey.Up:
                case PanelKey.Down:
                    Pick(key == PanelKey.Up);
                    break;
                case PanelKey.Set:
                    if (_editing.Definition.Kind == SettingKind.Secret && !_touched)
                    {
                        // Set on a password left as it was keeps it; typing then deleting everything clears it.
                        _mode = Mode.Menu;
                    }
                    else
                    {
                        Store(_text, Mode.EditText);
                    }

                    break;
                case PanelKey.Back:
                    _mode = Mode.Menu;
                    break;
            }
        }

        private void Pick(bool next)
        {
            string alphabet = PanelAlphabet.For(_editing.Definition.Kind);
            bool atEnd = _cursor >= _text.Length;
            if (atEnd && _text.Length >= SettingsSchema.MaxValueLength)
            {
                return;
            }

            int index = atEnd ? -1 : alphabet.IndexOf(_text[_cursor]);
            if (index < 0)
            {
                index = next ? 0 : alphabet.Length - 1;
            }
            else
            {
                index = next ? (index + 1) % alphabet.Length : (index + alphabet.Length - 1) % alphabet.Length;
            }

            string rest = atEnd ? string.Empty : _text.Substring(_cursor + 1);
            _text = _text.Substring(0, _cursor) + alphabet[index] + rest;
            _touched = true;
            _reveal = true;
        }

        private void Store(string value, Mode onError)
        {
            string key = _editing.Definition.Key;
            DeviceSettings edited = _settings.Edit();
            string error = edited.Set(key, value);
            if (error == null && value != _settings.Current.Get(key))
            {
                error = _settings.Commit(edited);
            }

            if (error != null)
            {
                ShowMessage(error, onError);
                return;
            }

            _mode = Mode.Menu;
        }

        private void OnScreenKey(PanelKey key)
        {
            string[] content = ScreenLines();
            int line = ScreenLine(content);
            switch (key)
            {
                case PanelKey.Up:
                    _screenLine = line > 0 ? line - 1 : 0;
                    break;
                case PanelKey.Down:
                    _screenLine = line < content.Length - 1 ? line + 1 : line;
                    break;
                case PanelKey.Set:
                case PanelKey.Right:
                    if (content.Length > 0)
                    {
                        // The line is kept as it was: a status line that changes meanwhile does not move under the reader.
                        _detail = content[line] == null ? string.Empty : content[line];
                        _detailScroll = 0;
                        _mode = Mode.Detail;
                    }

                    break;
                case PanelKey.Back:
                case PanelKey.Left:
                    _mode = Mode.Menu;
                    break;
            }
        }

        private void OnDetailKey(PanelKey key)
        {
            switch (key)
            {
                case PanelKey.Up:
                    _detailScroll = _detailScroll > 0 ? _detailScroll - 1 : 0;
                    break;
                case PanelKey.Down:
                    int last = PanelText.Wrap(_detail, _columns).Length - _rows;
                    _detailScroll = _detailScroll < last ? _detailScroll + 1 : _detailScroll;
                    break;
                case PanelKey.Set:
                case PanelKey.Back:
                case PanelKey.Left:
                    _mode = Mode.Screen;
                    break;
            }
        }

        /// <summary>The picked line of a status screen, kept inside <paramref name="content"/> (which may have shrunk).</summary>
        private int ScreenLine(string[] content)
        {
            if (_screenLine >= content.Length)
            {
                return content.Length > 0 ? content.Length - 1 : 0;
            }

            return _screenLine;
        }

        private void OnConfirmKey(PanelKey key)
        {
            if (key == PanelKey.Set)
            {
                string error = _settings.Commit(new DeviceSettings());
                string web = error == null && _actions != null ? _actions.ForgetWebPassword() : null;
                ShowMessage(error == null ? (web == null ? "Factory settings restored" : "Factory settings restored - " + web) : error, Mode.Menu);
            }
            else if (key == PanelKey.Back || key == PanelKey.Left)
            {
                _mode = Mode.Menu;
            }
        }

        private void ShowMessage(string message, Mode after)
        {
            _message = message;
            _afterMessage = after;
            _mode = Mode.Message;
        }

        private string[] ScreenLines()
        {
            string[] lines = null;
            if (_info != null)
            {
                lines = _folder.Child(_selected).Kind == MenuNodeKind.Journal ? _info.JournalLines() : _info.JobStatusLines();
            }

            return lines == null ? new string[0] : lines;
        }

        private void RenderReady(string[] lines)
        {
            lines[0] = PanelText.Fit(_settings.Current.Get(SettingKeys.DeviceName), _columns);
            string[] status = _info == null ? null : _info.JobStatusLines();
            if (status == null || status.Length == 0)
            {
                lines[1] = PanelText.Fit("Ready", _columns);
                return;
            }

            for (int i = 0; i < status.Length && i + 1 < _rows; i++)
            {
                lines[i + 1] = PanelText.Fit(status[i], _columns);
            }
        }

        private void RenderMenu(string[] lines)
        {
            lines[0] = PanelText.Fit(_folder.Label, _columns);
            int visible = _rows - 1;
            int top = _selected >= visible ? _selected - visible + 1 : 0;
            for (int i = 0; i < visible && top + i < _folder.Count; i++)
            {
                MenuNode node = _folder.Child(top + i);
                string label = (top + i == _selected ? ">" : " ") + node.Label;
                string value = node.Kind == MenuNodeKind.Setting ? ShownValue(node) : string.Empty;

                // The value goes on the line when both fit; otherwise the label alone.
                string line = value.Length == 0 ? null : PanelText.Spread(label, value, _columns);

                lines[i + 1] = line == null ? PanelText.Fit(label, _columns) : line;
            }
        }

        private string ShownValue(MenuNode node)
        {
            SettingDefinition definition = node.Definition;
            string value = _settings.Current.Get(definition.Key);
            if (definition.Kind == SettingKind.Secret)
            {
                return value.Length == 0 ? string.Empty : SecretMask;
            }

            return definition.Kind == SettingKind.Choice ? definition.ChoiceLabel(value) : value;
        }

        private void RenderText(string[] lines)
        {
            lines[0] = PanelText.Fit(_editing.Label, _columns);
            string shown = _text;
            if (_editing.Definition.Kind == SettingKind.Secret)
            {
                char[] masked = new char[_text.Length];
                for (int i = 0; i < masked.Length; i++)
                {
                    // Only the character just picked with Up/Down is visible, or the picker could not be used.
                    masked[i] = _reveal && i == _cursor ? _text[i] : '*';
                }

                shown = new string(masked);
            }

            // Scroll sideways so the cursor (which may sit just after the text) stays on the display.
            int start = _cursor < _columns ? 0 : _cursor - _columns + 1;
            lines[1] = PanelText.Fit(shown.Substring(start), _columns);
            _cursorColumn = _cursor - start;
            PutHint(lines);
        }

        private void RenderScreen(string[] lines)
        {
            string title = _folder.Child(_selected).Label;
            lines[0] = PanelText.Fit(title, _columns);
            string[] content = ScreenLines();
            if (content.Length == 0)
            {
                lines[1] = "(empty)";
                return;
            }

            int line = ScreenLine(content);
            int visible = _rows - 1;
            int top = line >= visible ? line - visible + 1 : 0;
            for (int i = 0; i < visible && top + i < content.Length; i++)
            {
                lines[i + 1] = PanelText.Fit((top + i == line ? ">" : " ") + content[top + i], _columns);
            }

            // Say when the picked line is cut, and how to read it whole.
            string picked = content[line] == null ? string.Empty : content[line];
            if (picked.Length + 1 > _columns)
            {
                string withHint = PanelText.Spread(title, MoreHint, _columns);
                if (withHint != null)
                {
                    lines[0] = withHint;
                }
            }
        }

        private void RenderLive(string[] lines)
        {
            string[] content = null;
            if (_oauth != null)
            {
                content = _live == MenuNodeKind.OAuthSignIn ? _oauth.OAuthSignInLines() : _oauth.OAuthStatusLines();
            }

            if (content == null)
            {
                return;
            }

            // Each entry wraps on its own (a verification URI is longer than a row), as many rows as the display has.
            int row = 0;
            for (int i = 0; i < content.Length && row < _rows; i++)
            {
                string[] wrapped = PanelText.Wrap(content[i], _columns);
                for (int j = 0; j < wrapped.Length && row < _rows; j++)
                {
                    lines[row++] = wrapped[j];
                }
            }
        }

        private void RenderDetail(string[] lines)
        {
            string[] wrapped = PanelText.Wrap(_detail, _columns);
            for (int i = 0; i < _rows && _detailScroll + i < wrapped.Length; i++)
            {
                lines[i] = wrapped[_detailScroll + i];
            }
        }

        private void PutHint(string[] lines)
        {
            if (_rows > 2)
            {
                lines[_rows - 1] = PanelText.Fit(EditHint, _columns);
            }
        }

        private void PutWrapped(string[] lines, int first, string text)
        {
            string[] wrapped = PanelText.Wrap(text, _columns);
            for (int i = 0; i < wrapped.Length && first + i < _rows; i++)
            {
                lines[first + i] = wrapped[i];
            }
        }
    }
}
