using System;
using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Panel
{
    /// <summary>One entry of the panel menu: a folder of entries, a setting, a status screen or an action.</summary>
    public sealed class MenuNode
    {
        private readonly MenuNode[] _children;

        private MenuNode(MenuNodeKind kind, string label, MenuNode[] children, SettingDefinition definition)
        {
            Kind = kind;
            Label = label;
            Definition = definition;
            _children = children == null ? new MenuNode[0] : children;
            for (int i = 0; i < _children.Length; i++)
            {
                if (_children[i].Parent != null)
                {
                    throw new ArgumentException("a menu entry can have only one parent", "children");
                }

                _children[i].Parent = this;
                _children[i].IndexInParent = i;
            }
        }

        /// <summary>What the entry does.</summary>
        public MenuNodeKind Kind { get; private set; }

        /// <summary>The text shown for the entry.</summary>
        public string Label { get; private set; }

        /// <summary>The setting a <see cref="MenuNodeKind.Setting"/> entry edits, else null.</summary>
        public SettingDefinition Definition { get; private set; }

        /// <summary>The folder holding this entry, or null for the root.</summary>
        public MenuNode Parent { get; private set; }

        /// <summary>The position of this entry in its folder.</summary>
        public int IndexInParent { get; private set; }

        /// <summary>The number of entries in a folder (0 for other kinds).</summary>
        public int Count
        {
            get { return _children.Length; }
        }

        /// <summary>The entry at <paramref name="index"/> of a folder.</summary>
        public MenuNode Child(int index)
        {
            return _children[index];
        }

        /// <summary>A folder of <paramref name="children"/>.</summary>
        public static MenuNode Folder(string label, MenuNode[] children)
        {
            if (children == null || children.Length == 0)
            {
                throw new ArgumentException("a folder needs entries", "children");
            }

            return new MenuNode(MenuNodeKind.Folder, label, children, null);
        }

        /// <summary>An entry that edits <paramref name="key"/>, with the schema's label and choice words.</summary>
        public static MenuNode Setting(string key)
        {
            int index = SettingsSchema.IndexOf(key);
            if (index < 0)
            {
                throw new ArgumentException("unknown settings key", "key");
            }

            SettingDefinition definition = SettingsSchema.All[index];
            return new MenuNode(MenuNodeKind.Setting, definition.Label, null, definition);
        }

        /// <summary>A status screen or an action entry.</summary>
        public static MenuNode Item(MenuNodeKind kind, string label)
        {
            if (kind == MenuNodeKind.Folder || kind == MenuNodeKind.Setting)
            {
                throw new ArgumentException("folders and settings have their own factories", "kind");
            }

            return new MenuNode(kind, label, null, null);
        }

        /// <summary>The entry below this one (or this one) that edits <paramref name="key"/>, or null.</summary>
        public MenuNode Find(string key)
        {
            if (Definition != null && Definition.Key == key)
            {
                return this;
            }

            for (int i = 0; i < _children.Length; i++)
            {
                MenuNode found = _children[i].Find(key);
                if (found != null)
                {
                    return found;
                }
            }

            return null;
        }

        /// <summary>The first entry below this one (or this one) of <paramref name="kind"/>, or null.</summary>
        public MenuNode Find(MenuNodeKind kind)
        {
            if (Kind == kind)
            {
                return this;
            }

            for (int i = 0; i < _children.Length; i++)
            {
                MenuNode found = _children[i].Find(kind);
                if (found != null)
                {
                    return found;
                }
            }

            return null;
        }
    }
}
