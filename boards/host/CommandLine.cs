using System.Collections.Generic;

namespace NetBoard.Boards.Host
{
    /// <summary>The virtual board's command line: a command, then --name value options (some repeatable).</summary>
    internal sealed class CommandLine
    {
        private static readonly string[] s_valued = { "--settings", "--to", "--file", "--subject", "--kind", "--data", "--out" };
        private static readonly string[] s_flags = { "--verbose" };

        private readonly Dictionary<string, List<string>> _options = new Dictionary<string, List<string>>();

        private CommandLine(string command)
        {
            Command = command;
        }

        public string Command { get; }

        /// <summary>Parses <paramref name="args"/>; returns null, or what is wrong.</summary>
        public static string TryParse(string[] args, out CommandLine line)
        {
            line = new CommandLine(args[0]);
            for (int i = 1; i < args.Length; i++)
            {
                string name = args[i];
                if (System.Array.IndexOf(s_flags, name) >= 0)
                {
                    line.Add(name, "true");
                    continue;
                }

                if (System.Array.IndexOf(s_valued, name) < 0)
                {
                    return "unknown option '" + name + "'";
                }

                if (i + 1 >= args.Length)
                {
                    return "option " + name + " needs a value";
                }

                line.Add(name, args[++i]);
            }

            return null;
        }

        /// <summary>The single value of an option, or null.</summary>
        public string Get(string name)
        {
            List<string> values;
            return _options.TryGetValue(name, out values) ? values[values.Count - 1] : null;
        }

        /// <summary>Every value of a repeatable option.</summary>
        public string[] GetAll(string name)
        {
            List<string> values;
            return _options.TryGetValue(name, out values) ? values.ToArray() : new string[0];
        }

        public bool Has(string name)
        {
            return _options.ContainsKey(name);
        }

        private void Add(string name, string value)
        {
            List<string> values;
            if (!_options.TryGetValue(name, out values))
            {
                values = new List<string>();
                _options[name] = values;
            }

            values.Add(value);
        }
    }
}
