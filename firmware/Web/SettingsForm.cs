using System;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// The settings page's forms: the panel's Network Settings &gt; E-Mail/I-Fax menu, one form per folder
    /// (the settings directly in that menu form one section of their own), every field named by its
    /// settings key and checked by the same schema as the panel; a post is applied to a copy of the
    /// settings in force and committed whole through the <see cref="SettingsKeeper"/>, or not at all.
    /// Secrets are write-only: their fields are always empty, an empty field keeps the stored value, and
    /// "clear.KEY" (a check box) empties it.
    /// </summary>
    internal sealed class SettingsForm
    {
        /// <summary>The prefix of the check box that empties a secret.</summary>
        internal const string ClearPrefix = "clear.";

        /// <summary>The field naming the section a post belongs to.</summary>
        internal const string SectionField = "section";

        private const int MaxSections = 16;

        private readonly string[] _labels = new string[MaxSections];
        private readonly string[] _ids = new string[MaxSections];
        private readonly SettingDefinition[][] _fields = new SettingDefinition[MaxSections][];
        private int _count;

        /// <summary>Builds the sections from the panel's menu.</summary>
        internal SettingsForm()
        {
            MenuNode root = PanelMenu.Build();
            MenuNode email = root.Find(SettingKeys.DeviceEmail).Parent;
            AddFolder(email, "email");
        }

        /// <summary>Sections on the page.</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>The section's id ("smtp-server"): its form is "form-ID", its post carries section=ID.</summary>
        internal string IdAt(int section)
        {
            return _ids[section];
        }

        /// <summary>The settings of a section, in menu order.</summary>
        internal SettingDefinition[] FieldsAt(int section)
        {
            return _fields[section];
        }

        /// <summary>The section with that id, or -1.</summary>
        internal int IndexOf(string id)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_ids[i] == id)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// Writes every section's form. The values shown are those of <paramref name="settings"/>, except in
        /// section <paramref name="postedSection"/> (a refused post): there the posted values and one error per
        /// field (null where none) are shown, so nothing typed is lost.
        /// </summary>
        internal void Write(HtmlPage page, WebSession session, DeviceSettings settings, int postedSection, FormFields posted, string[] errors)
        {
            for (int s = 0; s < _count; s++)
            {
                SettingDefinition[] fields = _fields[s];
                page.Raw("<form method=\"post\" action=\"/settings\" id=\"form-" + _ids[s] + "\"><fieldset><legend>");
                page.Text(_labels[s]);
                page.Raw("</legend>");
                page.Csrf(session);
                page.Raw("<input type=\"hidden\" name=\"" + SectionField + "\" value=\"" + _ids[s] + "\">");
                for (int f = 0; f < fields.Length; f++)
                {
                    SettingDefinition definition = fields[f];
                    string value = settings.Get(definition.Key);
                    string error = null;
                    if (s == postedSection)
                    {
                        string sent = posted.Get(definition.Key);
                        if (sent != null)
                        {
                            value = sent;
                        }

                        error = errors[f];
                    }

                    WriteField(page, definition, value, error);
                }

                page.Raw("<button type=\"submit\" id=\"save-" + _ids[s] + "\">Save</button></fieldset></form>");
            }
        }

        /// <summary>
        /// Applies the posted fields of <paramref name="section"/> to <paramref name="edited"/>: one error per
        /// field (null where none). A field not posted stays as it is.
        /// </summary>
        internal string[] Apply(int section, FormFields posted, DeviceSettings edited, out bool anyError)
        {
            SettingDefinition[] fields = _fields[section];
            string[] errors = new string[fields.Length];
            anyError = false;
            for (int f = 0; f < fields.Length; f++)
            {
                SettingDefinition definition = fields[f];
                string value = posted.Get(definition.Key);
                if (definition.Kind == SettingKind.Secret)
                {
                    if (posted.Get(ClearPrefix + definition.Key) != null)
                    {
                        value = string.Empty;
                    }
                    else if (value == null || value.Length == 0)
                    {
                        continue;
                    }
                }

                if (value == null)
                {
                    continue;
                }

                string error = edited.Set(definition.Key, value);
                if (error != null)
                {
                    errors[f] = error;
                    anyError = true;
                }
            }

            return errors;
        }

        private static void WriteField(HtmlPage page, SettingDefinition definition, string value, string error)
        {
            string key = definition.Key;
            page.Raw("<div class=\"field\"><label for=\"" + key + "\">");
            page.Text(definition.Label);
            page.Raw("</label>");
            switch (definition.Kind)
            {
                case SettingKind.Choice:
                    page.Raw("<select id=\"" + key + "\" name=\"" + key + "\">");
                    string[] choices = definition.Choices;
                    for (int i = 0; i < choices.Length; i++)
                    {
                        page.Raw("<option value=\"");
                        page.Text(choices[i]);
                        page.Raw(choices[i] == value ? "\" selected>" : "\">");
                        page.Text(definition.ChoiceLabel(choices[i]));
                        page.Raw("</option>");
                    }

                    page.Raw("</select>");
                    break;
                case SettingKind.Secret:
                    // Write-only: the stored value never reaches the browser, not even as a length.
                    page.Raw("<input type=\"password\" id=\"" + key + "\" name=\"" + key + "\" value=\"\" autocomplete=\"new-password\" maxlength=\"" + SettingsSchema.MaxValueLength.ToString() + "\">");
                    page.Raw("<span class=\"hint\" id=\"state-" + key + "\">" + (value.Length > 0 ? "set; leave empty to keep it" : "not set") + "</span>");
                    if (value.Length > 0)
                    {
                        page.Raw("<label class=\"hint\"><input type=\"checkbox\" id=\"" + ClearPrefix + key + "\" name=\"" + ClearPrefix + key + "\" value=\"1\"> clear it</label>");
                    }

                    break;
                default:
                    page.Raw("<input type=\"text\" id=\"" + key + "\" name=\"" + key + "\" value=\"");
                    page.Text(value);
                    page.Raw("\"" + (definition.Kind == SettingKind.Number ? " inputmode=\"numeric\"" : string.Empty) + ">");
                    if (definition.Kind == SettingKind.Number)
                    {
                        page.Raw("<span class=\"hint\">" + definition.Min.ToString() + " to " + definition.Max.ToString() + "</span>");
                    }

                    break;
            }

            if (error != null)
            {
                page.Raw("<span class=\"hint error\" id=\"error-" + key + "\">");
                page.Text(error);
                page.Raw("</span>");
            }

            page.Raw("</div>");
        }

        private static string Slug(string label)
        {
            char[] chars = new char[label.Length];
            int length = 0;
            bool dash = false;
            for (int i = 0; i < label.Length; i++)
            {
                char c = label[i];
                if (c >= 'A' && c <= 'Z')
                {
                    c = (char)(c + ('a' - 'A'));
                }

                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                {
                    if (dash && length > 0)
                    {
                        chars[length++] = '-';
                    }

                    chars[length++] = c;
                    dash = false;
                }
                else
                {
                    dash = true;
                }
            }

            return new string(chars, 0, length);
        }

        private void AddFolder(MenuNode folder, string id)
        {
            // The folder's own settings form one section; each sub-folder adds its own, in menu order.
            int own = 0;
            for (int i = 0; i < folder.Count; i++)
            {
                if (folder.Child(i).Kind == MenuNodeKind.Setting)
                {
                    own++;
                }
            }

            int ownSection = -1;
            if (own > 0)
            {
                ownSection = Add(folder.Label, id, new SettingDefinition[own]);
            }

            int at = 0;
            for (int i = 0; i < folder.Count; i++)
            {
                MenuNode child = folder.Child(i);
                if (child.Kind == MenuNodeKind.Setting)
                {
                    _fields[ownSection][at++] = child.Definition;
                }
                else if (child.Kind == MenuNodeKind.Folder)
                {
                    AddFolder(child, Slug(child.Label));
                }
            }
        }

        private int Add(string label, string id, SettingDefinition[] fields)
        {
            if (_count == MaxSections)
            {
                throw new InvalidOperationException("too many settings sections");
            }

            _labels[_count] = label;
            _ids[_count] = id;
            _fields[_count] = fields;
            return _count++;
        }
    }
}
