using System.Collections;
using System.Reflection;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace KafkaReplication.Engine.FlowFiles;

/// <summary>
/// Every key of a flow file that its schema does not have, with its line: YamlDotNet stops at the first one, so a file
/// with three typos would take three runs to fix. Walks the YAML against the file's DTO types (camelCase properties).
/// </summary>
internal static class UnknownKeys
{
    public static IReadOnlyList<(string Path, long Line)> Find(string text, Type root)
    {
        var found = new List<(string, long)>();
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        foreach (var document in stream.Documents) Walk(document.RootNode, root, "", found);
        return found;
    }

    private static void Walk(YamlNode node, Type type, string path, List<(string, long)> found)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is YamlSequenceNode sequence && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var item = type.GetGenericArguments()[0];
            var i = 0;
            foreach (var child in sequence) Walk(child, item, $"{path}[{i++}]", found);
            return;
        }
        // Scalars, free-form values (object) and maps of settings (Dictionary) have no fixed keys.
        if (node is not YamlMappingNode mapping || type == typeof(object) || type == typeof(string) || type.IsPrimitive
            || typeof(IDictionary).IsAssignableFrom(type))
            return;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => CamelCaseNamingConvention.Instance.Apply(p.Name), p => p.PropertyType, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            var keyPath = path.Length == 0 ? name : $"{path}.{name}";
            if (properties.TryGetValue(name, out var propertyType)) Walk(value, propertyType, keyPath, found);
            else found.Add((keyPath, key.Start.Line));
        }
    }
}
