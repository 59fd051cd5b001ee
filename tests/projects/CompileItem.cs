using System;

namespace NetBoard.Projects.Tests
{
    /// <summary>One Compile item of an .nfproj.</summary>
    public sealed class CompileItem
    {
        /// <summary>Creates an item.</summary>
        public CompileItem(string include, string link, bool hasExcludeOrRemove)
        {
            Include = include;
            Link = link;
            HasExcludeOrRemove = hasExcludeOrRemove;
        }

        /// <summary>The Include attribute, as written.</summary>
        public string Include { get; }

        /// <summary>The Link element (where a file from another folder shows in the project), or null.</summary>
        public string Link { get; }

        /// <summary>Whether the item carries Exclude or Remove, which only make sense with wildcards.</summary>
        public bool HasExcludeOrRemove { get; }

        /// <summary>Whether the Include is a pattern rather than one file.</summary>
        public bool IsWildcard
        {
            get { return Include.IndexOfAny(new[] { '*', '?' }) >= 0 || Include.Contains(';', StringComparison.Ordinal); }
        }
    }
}
