using KafkaReplication.Engine.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KafkaReplication.Engine.Yaml;

/// <summary>
/// The check every YAML text the module parses (flow files, manifests, kubeconfigs) passes before a parser builds
/// anything from it: a size cap, a nesting cap, and a cap on the nodes that aliases expand to. A few hundred bytes of
/// nested aliases ("billion laughs") expand to billions of nodes in a parser that copies them (ManifestYaml turning
/// nodes into JSON, YamlDotNet's deserializer, KubernetesClient's kubeconfig loader); this walk only counts, so it
/// refuses such a file in milliseconds. It reads events only: syntax errors are left to the parser that follows,
/// which reports them in its own terms.
/// </summary>
public static class GuardedYaml
{
    /// <summary>Largest YAML file read (a flow's rendered manifests are some 30 KB; kubeconfigs a few KB).</summary>
    public const long MaxBytes = 4 * 1024 * 1024;
    /// <summary>Deepest nesting of mappings and sequences (Kubernetes objects nest about 10 deep).</summary>
    public const int MaxDepth = 64;
    /// <summary>Most nodes that all aliases together may stand for (legitimate files use a few small anchors).</summary>
    public const long MaxAliasNodes = 10_000;

    /// <summary>Reads a YAML file after checking its size, then checks its content. I/O errors are the caller's.</summary>
    public static string ReadFile(string path, string what)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes) throw TooLarge(path, what, length);
        var text = File.ReadAllText(path);
        Check(text, path, what);
        return text;
    }

    /// <summary>Refuses YAML that is too large, too deep, or whose aliases expand beyond <see cref="MaxAliasNodes"/>.</summary>
    /// <param name="source">The file (or other origin) named in the error.</param>
    /// <param name="what">What the text is, for the error ("flow file", "manifest file", "kubeconfig").</param>
    public static void Check(string text, string source, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes) throw TooLarge(source, what, text.Length);
        var parser = new Parser(new StringReader(text));
        // Nodes each anchor stands for (itself and everything under it, its own aliases expanded).
        var sizes = new Dictionary<AnchorName, long>();
        var open = new Stack<(AnchorName Anchor, long Start)>();
        long nodes = 0, aliasNodes = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        var n = sizes.GetValueOrDefault(alias.Value, 1);
                        nodes += n;
                        aliasNodes += n;
                        if (aliasNodes > MaxAliasNodes) throw AliasBomb(source, what, alias);
                        break;
                    case Scalar scalar:
                        nodes++;
                        if (!scalar.Anchor.IsEmpty) sizes[scalar.Anchor] = 1;
                        break;
                    case MappingStart or SequenceStart:
                        var start = (NodeEvent)parser.Current;
                        nodes++;
                        open.Push((start.Anchor, nodes));
                        if (open.Count > MaxDepth) throw TooDeep(source, what, start);
                        break;
                    case MappingEnd or SequenceEnd when open.Count > 0:
                        var (anchor, from) = open.Pop();
                        if (!anchor.IsEmpty) sizes[anchor] = nodes - from + 1;
                        break;
                }
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // A syntax error (YamlDotNet's scanner throws InvalidOperationException on some): the parser that follows
            // reports it with its own error id.
        }
    }

    private static ReplicationException TooLarge(string source, string what, long length) =>
        new(ReplicationErrorKind.InvalidData, "YamlTooLarge",
            $"The {what} '{source}' is {length} bytes; the module reads YAML files of at most {MaxBytes} bytes.", source);

    private static ReplicationException TooDeep(string source, string what, ParsingEvent at) =>
        new(ReplicationErrorKind.InvalidData, "YamlTooDeep",
            $"The {what} '{source}' line {at.Start.Line}: mappings and sequences nest more than {MaxDepth} levels deep; the module refuses it.", source);

    private static ReplicationException AliasBomb(string source, string what, AnchorAlias at) =>
        new(ReplicationErrorKind.InvalidData, "YamlAliasExpansionTooLarge",
            $"The {what} '{source}' line {at.Start.Line}: its aliases (*{at.Value}) expand to more than {MaxAliasNodes} nodes, " +
            "as in a 'billion laughs' file; the module refuses it. Write the values out instead of nesting anchors.", source);
}
