using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Connect;

/// <summary>
/// What the MirrorMaker 2 connectors' <c>alterOffsets</c> accept (connect/mirror/.../MirrorSourceConnector.java,
/// MirrorCheckpointConnector.java, MirrorHeartbeatConnector.java, checks in MirrorUtils.java). A violation is a
/// ConnectException, which the REST layer answers with 500 and the connector's message. Other connector classes do
/// not override alterOffsets: the framework accepts any offsets and says so in its answer (Worker.java).
/// </summary>
internal static class MirrorOffsetRules
{
    public const string SourceConnector = "MirrorSourceConnector";
    public const string CheckpointConnector = "MirrorCheckpointConnector";
    public const string HeartbeatConnector = "MirrorHeartbeatConnector";

    /// <summary>True when the class is one of the three MM2 connectors (by simple name, so aliases work too).</summary>
    public static bool Validates(string connectorClass) => SimpleName(connectorClass) is SourceConnector or CheckpointConnector or HeartbeatConnector;

    /// <summary>Throws <see cref="ConnectRestError"/> (500) for the first entry the connector would refuse.</summary>
    public static void Validate(string connectorClass, IEnumerable<(JsonNode? Partition, JsonNode? Offset)> entries)
    {
        var kind = SimpleName(connectorClass);
        foreach (var (partition, offset) in entries)
        {
            // Tombstones are allowed for anything, so that garbage can always be cleaned up through the REST API.
            if (offset is null)
            {
                continue;
            }

            if (partition is not JsonObject sourcePartition)
            {
                throw ConnectRestError.Internal("Source partitions may not be null");
            }

            switch (kind)
            {
                case SourceConnector:
                    RequireString(sourcePartition, "cluster");
                    RequireString(sourcePartition, "topic");
                    RequirePartition(sourcePartition);
                    RequireOffset(sourcePartition, offset, onlyZero: false);
                    break;
                case CheckpointConnector:
                    RequireString(sourcePartition, "group");
                    RequireString(sourcePartition, "topic");
                    RequirePartition(sourcePartition);
                    RequireOffset(sourcePartition, offset, onlyZero: true);
                    break;
                case HeartbeatConnector:
                    RequireString(sourcePartition, "sourceClusterAlias");
                    RequireString(sourcePartition, "targetClusterAlias");
                    RequireOffset(sourcePartition, offset, onlyZero: true);
                    break;
            }
        }
    }

    private static string SimpleName(string connectorClass) => connectorClass[(connectorClass.LastIndexOf('.') + 1)..];

    // MirrorUtils.validateSourcePartitionString
    private static void RequireString(JsonObject partition, string key)
    {
        if (!partition.ContainsKey(key))
        {
            throw ConnectRestError.Internal($"Source partition {JavaText.Of(partition)} is missing the '{key}' key, which is required");
        }

        if (partition[key] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw ConnectRestError.Internal($"Source partition {JavaText.Of(partition)} has an invalid value {JavaText.Of(partition[key])} for the '{key}' key, which must be a string");
        }
    }

    // MirrorUtils.validateSourcePartitionPartition: an Integer, or a Long that fits in one, and not negative.
    private static void RequirePartition(JsonObject partition)
    {
        const string key = "partition";
        if (!partition.ContainsKey(key))
        {
            throw ConnectRestError.Internal($"Source partition {JavaText.Of(partition)} is missing the '{key}' key, which is required");
        }

        if (IntegerOf(partition[key]) is not { } value || value > int.MaxValue)
        {
            throw ConnectRestError.Internal($"Source partition {JavaText.Of(partition)} has an invalid value {JavaText.Of(partition[key])} for the '{key}' key, which must be an integer");
        }

        if ((int)value < 0)
        {
            throw ConnectRestError.Internal($"Source partition {JavaText.Of(partition)} has an invalid value {JavaText.Of(partition[key])} for the '{key}' key, which cannot be negative");
        }
    }

    // MirrorUtils.validateSourceOffset
    private static void RequireOffset(JsonObject partition, JsonNode offset, bool onlyZero)
    {
        const string key = "offset";
        if (offset is not JsonObject sourceOffset || !sourceOffset.ContainsKey(key))
        {
            throw ConnectRestError.Internal($"Source offset {JavaText.Of(offset)} for source partition {JavaText.Of(partition)} is missing the '{key}' key, which is required");
        }

        var raw = sourceOffset[key];
        if (IntegerOf(raw) is not { } value)
        {
            throw ConnectRestError.Internal($"Source offset {JavaText.Of(offset)} for source partition {JavaText.Of(partition)} has an invalid value {JavaText.Of(raw)} for the '{key}' key, which must be an integer");
        }

        if (onlyZero && value != 0)
        {
            throw ConnectRestError.Internal($"Source offset {JavaText.Of(offset)} for source partition {JavaText.Of(partition)} has an invalid value {JavaText.Of(raw)} for the '{key}' key; the only accepted value is 0");
        }

        if (!onlyZero && value < 0)
        {
            throw ConnectRestError.Internal($"Source offset {JavaText.Of(offset)} for source partition {JavaText.Of(partition)} has an invalid value {JavaText.Of(raw)} for the '{key}' key, which cannot be negative");
        }
    }

    // Jackson reads an integral JSON number as Integer or Long; a fraction, a string or a huge number is something else.
    private static long? IntegerOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n : null;
}
