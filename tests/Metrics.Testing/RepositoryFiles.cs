namespace Metrics.Testing;

/// <summary>Files of the repository the tests run from (docs, boards), found above the test binaries.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The directory holding <c>Metrics.sln</c>.</summary>
    public static string RootDirectory => Root.Value;

    public static string PathOf(string relative) => Path.Combine(RootDirectory, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Metrics.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Metrics.sln not found above {AppContext.BaseDirectory}");
    }
}
