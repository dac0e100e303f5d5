using System.Text.RegularExpressions;
using KafkaReplication.Engine;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>One catalogue of error ids (issues 8 and 10): every id the sources raise is in ErrorIds, and docs/errors.md lists exactly it.</summary>
public sealed class ErrorCatalogueTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KafkaReplication.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    // The ways the sources name an error id inline: an engine exception's kind then id, ReplicationException.Invalid(id,
    // and an ErrorRecord's id before its category.
    private static readonly Regex[] InlineId =
    {
        new(@"ReplicationErrorKind\.\w+\s*,\s*""(\w+)""", RegexOptions.Compiled),
        new(@"\.Invalid\(\s*""(\w+)""", RegexOptions.Compiled),
        new(@"""(\w+)""\s*,\s*ErrorCategory\.", RegexOptions.Compiled),
        // ids handed to a helper that throws: ReadFile(path, alias, "Id"), and the helper's own alternative.
        new(@"(?<!GuardedYaml\.)ReadFile\([^;]*?""(\w+)""\)", RegexOptions.Compiled),
        new(@"errorId\s*:\s*""(\w+)""", RegexOptions.Compiled),
    };

    [Fact]
    public void Every_error_id_written_inline_in_the_sources_is_in_the_catalogue()
    {
        var unknown = new List<string>();
        var files = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(files);
        var seen = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var id in InlineId.SelectMany(r => r.Matches(text)).Select(m => m.Groups[1].Value))
            {
                seen++;
                if (!ErrorIds.All.ContainsKey(id)) unknown.Add($"{id} ({Path.GetRelativePath(Root, file)})");
            }
        }
        Assert.True(seen > 20, $"only {seen} inline ids found: the patterns no longer match the sources");
        Assert.True(unknown.Count == 0, "Add these ids to KafkaReplication.Engine.ErrorIds and docs/errors.md: " + string.Join(", ", unknown.Distinct()));
    }

    [Fact]
    public void The_catalogue_has_a_description_for_every_id_and_no_raw_exception_names()
    {
        Assert.Contains(ErrorIds.UnexpectedError, ErrorIds.All.Keys);
        foreach (var (id, description) in ErrorIds.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(description), $"{id} has no description");
            Assert.DoesNotContain(".", id);
            Assert.Matches("^[A-Z][A-Za-z]+$", id);
        }
    }

    [Fact]
    public void Docs_errors_md_lists_exactly_the_catalogue()
    {
        var rows = File.ReadAllLines(Path.Combine(Root, "docs", "errors.md"))
            .Select(l => Regex.Match(l, @"^\| `(\w+)` \| (.*) \|$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(ErrorIds.All.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, description) in ErrorIds.All) Assert.Equal(description, rows[id]);
    }
}
