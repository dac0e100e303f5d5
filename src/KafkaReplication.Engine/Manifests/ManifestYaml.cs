using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Manifests;

/// <summary>How Secret values are written when manifests are rendered to files.</summary>
public enum SecretRendering
{
    /// <summary>Secret keys carry a placeholder that says what to fill in; certificates are kept (they are public).</summary>
    Placeholders,
    /// <summary>Real values (only into a separate file, at the user's explicit request).</summary>
    Values,
}

/// <summary>Multi-document YAML for manifests (YamlDotNet), and back.</summary>
public static partial class ManifestYaml
{
    public const string PlaceholderPrefix = "<FILL IN: ";

    [GeneratedRegex(@"^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.IgnoreCase)]
    private static partial Regex NonStringLooking();

    /// <summary>
    /// The manifests of a file, as Test-ReplicationFlow -ManifestPath reads them: guarded against alias bombs, with
    /// ManifestFileNotFound / ManifestFileInvalid instead of the reader's and the parser's exceptions.
    /// </summary>
    public static IReadOnlyList<ManifestObject> ReadFile(string path)
    {
        try
        {
            return Parse(Yaml.GuardedYaml.ReadFile(path, "manifest file"), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReplicationException(ReplicationErrorKind.NotFound, ErrorIds.ManifestFileNotFound, $"Cannot read '{path}': {e.Message}", path, e);
        }
        catch (YamlException e)
        {
            throw ReplicationException.Invalid(ErrorIds.ManifestFileInvalid, $"'{path}' line {e.Start.Line}: {e.Message}", path);
        }
    }

    public static string Render(IEnumerable<ManifestObject> objects, SecretRendering secrets, string? header = null)
    {
        var sb = new StringBuilder();
        if (header is not null)
            foreach (var line in header.Split('\n')) sb.Append("# ").AppendLine(line.TrimEnd());
        var first = true;
        foreach (var o in objects)
        {
            if (!first || header is not null) sb.AppendLine("---");
            first = false;
            var body = o.Kind == Kinds.Secret ? SecretBody(o, secrets) : o.Body;
            sb.Append(ToYaml(body));
        }
        return sb.ToString();
    }

    /// <summary>A Secret as rendered: secret keys move to stringData with a placeholder, unless values are wanted.</summary>
    internal static JsonObject SecretBody(ManifestObject o, SecretRendering secrets)
    {
        var body = (JsonObject)o.Body.DeepClone();
        if (secrets == SecretRendering.Values || o.SecretKeys.Count == 0) return body;
        var data = (JsonObject)body["data"]!;
        var stringData = new JsonObject();
        foreach (var (key, description) in o.SecretKeys)
        {
            data.Remove(key);
            stringData[key] = $"{PlaceholderPrefix}{description}>";
        }
        if (data.Count == 0) body.Remove("data");
        body["stringData"] = stringData;
        return body;
    }

    public static string ToYaml(JsonNode node)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter e, JsonNode? node)
    {
        switch (node)
        {
            case null:
                e.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject o:
                e.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (k, v) in o)
                {
                    EmitString(e, k);
                    Emit(e, v);
                }
                e.Emit(new MappingEnd());
                break;
            case JsonArray a:
                e.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in a) Emit(e, item);
                e.Emit(new SequenceEnd());
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                EmitString(e, s);
                break;
            default:
                e.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter e, string s)
    {
        // A string that YAML would read as a bool, number or null must be quoted to stay a string.
        var style = s.Contains('\n') ? ScalarStyle.Literal
            : s.Length == 0 || NonStringLooking().IsMatch(s) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        e.Emit(new Scalar(null, null, s, style, true, true));
    }

    /// <summary>
    /// Parses multi-document YAML into manifests; plain scalars become bools, numbers or null as YAML 1.2 core says.
    /// The text passes <see cref="Yaml.GuardedYaml"/> first (ToJson copies every aliased node).
    /// </summary>
    public static IReadOnlyList<ManifestObject> Parse(string yaml, string source = "YAML text")
    {
        Yaml.GuardedYaml.Check(yaml, source, "manifest file");
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new List<ManifestObject>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" }) continue;
            if (ToJson(doc.RootNode) is JsonObject o && o["kind"] is not null) result.Add(new ManifestObject(o));
        }
        return result;
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode sc => Scalar(sc),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode sc)
    {
        var v = sc.Value;
        if (sc.Style is ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted or ScalarStyle.Literal or ScalarStyle.Folded) return JsonValue.Create(v);
        if (v is null || v is "null" or "~" or "") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.Any(char.IsDigit)) return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
