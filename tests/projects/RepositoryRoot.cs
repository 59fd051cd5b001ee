using System;
using System.IO;

namespace NetBoard.Projects.Tests
{
    /// <summary>The clone the tests run from: the folder holding both solutions.</summary>
    public static class RepositoryRoot
    {
        /// <summary>The repository's root folder, found upwards from the test assembly.</summary>
        public static string Path
        {
            get
            {
                string dir = AppContext.BaseDirectory;
                while (dir != null)
                {
                    if (File.Exists(System.IO.Path.Combine(dir, "NetBoard.Host.sln")) && File.Exists(System.IO.Path.Combine(dir, "nanoFramework.sln")))
                    {
                        return dir;
                    }

                    dir = System.IO.Path.GetDirectoryName(dir);
                }

                throw new InvalidOperationException("no folder above " + AppContext.BaseDirectory + " holds NetBoard.Host.sln and nanoFramework.sln");
            }
        }
    }
}
