namespace KafkaReplication.Engine.Model;

/// <summary>Input parsing shared by New-ReplicationTransform and flow files.</summary>
public static class TransformFactory
{
    /// <summary>ReplaceField renames as the guide writes them ("name:replaced_name,age:replaced_age"), one or several strings.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseRenames(IEnumerable<string> values)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
                throw ReplicationException.Invalid("InvalidRename", $"Rename '{pair}' must be 'old:new' (for example name:replaced_name).", pair);
            result.Add(new(parts[0].Trim(), parts[1].Trim()));
        }
        return result;
    }

    public static IReadOnlyList<string> SplitFields(IEnumerable<string>? values) => FlowDefinitionFactory.SplitList(values);

    public static RecordPart ParsePart(string? value, string context) =>
        value is null ? RecordPart.Value
        : Enum.TryParse<RecordPart>(value, ignoreCase: true, out var p) && Enum.IsDefined(p) ? p
        : throw ReplicationException.Invalid("InvalidRecordPart", $"{context}: part must be Value or Key (got '{value}').", value);
}
