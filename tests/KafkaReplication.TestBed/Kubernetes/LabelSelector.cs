using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// A parsed <c>labelSelector</c> query (k8s.io/apimachinery/pkg/labels): requirements joined by commas, all of
/// which must hold. Forms: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>, <c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a&gt;1</c>, <c>a&lt;1</c>.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements;

    private LabelSelector(List<Func<IReadOnlyDictionary<string, string>, bool>> requirements) =>
        this.requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    /// <exception cref="FormatException">The selector cannot be parsed (the server answers 400).</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseRequirement(term.Trim()));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject obj) => Matches(Labels(obj));

    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.All(r => r(labels));

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = value?.ToString() ?? "";
            }
        }

        return result;
    }

    // Commas separate requirements except inside the parentheses of a set.
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string term)
    {
        if (SetPattern().Match(term) is { Success: true } set)
        {
            var key = ValidKey(set.Groups["key"].Value, term);
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
            if (set.Groups["op"].Value == "in")
            {
                return labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }

            // notin, like !=, also matches objects without the label.
            return labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        if (term.StartsWith('!'))
        {
            var key = ValidKey(term[1..].Trim(), term);
            return labels => !labels.ContainsKey(key);
        }

        foreach (var op in new[] { "!=", "==", "=", ">", "<" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var key = ValidKey(term[..at].Trim(), term);
            var value = term[(at + op.Length)..].Trim();
            return op switch
            {
                "!=" => labels => !labels.TryGetValue(key, out var v) || v != value,
                ">" => labels => labels.TryGetValue(key, out var v) && Compare(v, value) > 0,
                "<" => labels => labels.TryGetValue(key, out var v) && Compare(v, value) < 0,
                _ => labels => labels.TryGetValue(key, out var v) && v == value,
            };
        }

        var exists = ValidKey(term, term);
        return labels => labels.ContainsKey(exists);
    }

    private static int Compare(string actual, string wanted)
    {
        if (!long.TryParse(wanted, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w))
        {
            throw new FormatException($"for 'gt', 'lt' operators, exactly one value is required and it must be an integer: {wanted}");
        }

        return long.TryParse(actual, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a) ? a.CompareTo(w) : 0;
    }

    private static string ValidKey(string key, string term)
    {
        if (!KeyPattern().IsMatch(key))
        {
            throw new FormatException($"unable to parse requirement: \"{term}\"");
        }

        return key;
    }

    [GeneratedRegex(@"^(?<key>[^\s!=<>()]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetPattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyPattern();
}

/// <summary>
/// A <c>fieldSelector</c> (<c>metadata.name=x</c>, <c>metadata.namespace!=y</c>, comma = AND). The real server
/// accepts only a few fields per kind; the emulator evaluates any dotted path, missing fields reading as "".
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, bool Equal, string Value)> terms;

    private FieldSelector(List<(string[] Path, bool Equal, string Value)> terms) => this.terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name an equality term on metadata.name pins, if any (used by single-object watches).</summary>
    public string? Name => terms.FirstOrDefault(t => t.Equal && t.Path is ["metadata", "name"]).Value;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string[], bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (op, equal) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", false)
                : term.Contains("==", StringComparison.Ordinal) ? ("==", true)
                : term.Contains('=') ? ("=", true)
                : throw new FormatException($"invalid selector: '{term}'; can't understand '{term}'");
            var at = term.IndexOf(op, StringComparison.Ordinal);
            var field = term[..at].Trim();
            if (field.Length == 0)
            {
                throw new FormatException($"invalid selector: '{term}'");
            }

            terms.Add((field.Split('.'), equal, term[(at + op.Length)..].Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, equal, value) in terms)
        {
            JsonNode? node = obj;
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            var actual = node is JsonValue v ? v.ToString() : "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
