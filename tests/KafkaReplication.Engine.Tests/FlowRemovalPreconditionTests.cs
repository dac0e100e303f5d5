using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Flows;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>
/// Remove-ReplicationFlow's deletes carry the uid of the object it listed (DeleteOptions.Preconditions.Uid): a ConfigMap
/// someone re-created under the name of the runbook record or the offsets-alter ConfigMap in between is kept.
/// </summary>
public sealed class FlowRemovalPreconditionTests(TestFiles files) : EmulatedClusterTests(files)
{
    private void ConfigMap(string name, JsonObject labels, string value) => _k8s.Upsert(new JsonObject
    {
        ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["labels"] = labels },
        ["data"] = new JsonObject { ["v"] = value },
    });

    private static JsonObject FlowLabels(string flow) => new() { ["app.kubernetes.io/managed-by"] = "KafkaReplication", ["kafkareplication.io/flow"] = flow };

    public static TheoryData<string, string> Records => new()
    {
        { "f-runbook", "runbook" },
        { "f-mirror-source-connector-offsets-alter", "flow" },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public async Task A_ConfigMap_recreated_after_the_listing_is_not_deleted(string name, string labelKind)
    {
        _k8s.Upsert(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns"}}""")!.AsObject());
        JsonObject Labels() => labelKind == "runbook" ? new JsonObject { ["kafkareplication.io/runbook-of"] = "f" } : FlowLabels("f");
        ConfigMap(name, Labels(), "module");
        var inventory = new FlowInventory(_kube, NullOperationLog.Instance);
        var listed = labelKind == "runbook"
            ? await inventory.GetRunbookRecordsAsync("f", "ns", CancellationToken.None)
            : await inventory.GetFlowObjectsAsync("f", "ns", CancellationToken.None);
        Assert.Contains(listed, o => o.Name == name);

        // Someone deletes it and creates their own under the same name (a new uid) before the delete.
        Assert.True(_k8s.Delete("v1", "ConfigMap", "ns", name));
        ConfigMap(name, Labels(), "theirs");

        var e = await Assert.ThrowsAsync<ReplicationException>(() => inventory.DeleteAsync("v1", "ConfigMap", "ns", name, CancellationToken.None));
        Assert.Equal(ReplicationErrorKind.Conflict, e.Kind);
        Assert.Equal("theirs", (string?)_k8s.Get("v1", "ConfigMap", "ns", name)!["data"]!["v"]);

        // The object it listed, unchanged, is deleted.
        var again = new FlowInventory(_kube, NullOperationLog.Instance);
        _ = labelKind == "runbook" ? await again.GetRunbookRecordsAsync("f", "ns", CancellationToken.None) : await again.GetFlowObjectsAsync("f", "ns", CancellationToken.None);
        Assert.True(await again.DeleteAsync("v1", "ConfigMap", "ns", name, CancellationToken.None));
        Assert.Null(_k8s.Get("v1", "ConfigMap", "ns", name));
    }
}
