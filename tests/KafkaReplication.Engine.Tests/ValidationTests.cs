using System.Text.Json.Nodes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

public sealed class ValidationTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public ValidationTests(TestFiles files) => _f = files;

    private ReplicationFlowDefinition Plain() => _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext));

    private static IEnumerable<string> Errors(IEnumerable<ValidationFinding> f) => f.Where(x => x.Severity == FindingSeverity.Error).Select(x => x.Code);

    [Theory]
    [InlineData("Bad_Name", "InvalidFlowName")]
    [InlineData("a-flow-name-that-is-far-too-long-for-the-derived-names", "InvalidFlowName")]
    public void Flow_names_are_checked(string name, string code) =>
        Assert.Contains(code, Errors(FlowValidator.Validate(Plain() with { Name = name })));

    [Fact]
    public void Namespace_connect_name_topics_groups_and_aliases_are_checked()
    {
        Assert.Contains("InvalidNamespace", Errors(FlowValidator.Validate(Plain() with { Namespace = "Repl NS" })));
        Assert.Contains("InvalidConnectClusterName", Errors(FlowValidator.Validate(Plain() with { ConnectClusterName = new string('c', 52) })));
        Assert.Contains("InvalidTopicRegex", Errors(FlowValidator.Validate(Plain() with { Topics = new[] { "orders.(" } })));
        Assert.Contains("TopicsRequired", Errors(FlowValidator.Validate(Plain() with { Topics = Array.Empty<string>() })));
        Assert.Contains("InvalidGroupRegex", Errors(FlowValidator.Validate(Plain() with { Groups = new[] { "[billing" } })));
        Assert.Contains("SameAlias", Errors(FlowValidator.Validate(_f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("src", SecurityProtocol.Plaintext)))));
        Assert.Contains("TargetCaRequired", Errors(FlowValidator.Validate(_f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Ssl, pemTrust: false)))));
        Assert.Contains("RegistryIncomplete", Errors(FlowValidator.Validate(Plain() with { RegistryServer = "r.example.com" })));
    }

    private static List<ManifestObject> Mutate(IReadOnlyList<ManifestObject> objects, string kind, string nameSuffix, Action<JsonObject> change)
    {
        var copy = objects.Select(o => new ManifestObject((JsonObject)o.Body.DeepClone())).ToList();
        change(copy.Single(o => o.Kind == kind && o.Name.EndsWith(nameSuffix, StringComparison.Ordinal)).Body);
        return copy;
    }

    [Fact]
    public void A_role_that_misses_a_referenced_configmap_is_reported_with_the_connector()
    {
        var all = FlowManifestBuilder.Build(_f.GuideFlow());
        var broken = Mutate(all, "Role", "-connector-configuration", role =>
            role["rules"]![1]!["resourceNames"] = new JsonArray("uswest-to-useast-source", "uswest-to-useast-target"));
        var findings = ManifestValidator.Validate(broken);
        var f = Assert.Single(findings.Where(x => x.Code == "RoleMissingReference").Select(x => x.Message).Distinct(), m => m.Contains("mirror-source-connector"));
        Assert.Contains("uswest-to-useast-replication", f);
    }

    [Fact]
    public void A_rolebinding_to_the_wrong_service_account_is_reported()
    {
        var broken = Mutate(FlowManifestBuilder.Build(_f.GuideFlow()), "RoleBinding", "-connector-configuration",
            rb => rb["subjects"]![0]!["name"] = "repl-uswest-useast");
        Assert.Contains("ServiceAccountMismatch", Errors(ManifestValidator.Validate(broken)));
        Assert.Contains("RoleMissingReference", Errors(ManifestValidator.Validate(broken)));
    }

    [Fact]
    public void Differing_policies_missing_group_sync_and_a_connect_on_the_source_are_reported()
    {
        var all = FlowManifestBuilder.Build(_f.GuideFlow());
        var policy = Mutate(all, "KafkaConnector", "mirror-heartbeat-connector",
            c => c["spec"]!["config"]!["replication.policy.class"] = FlowManifestBuilder.IdentityPolicyClass);
        Assert.Contains("PolicyMismatch", Errors(ManifestValidator.Validate(policy)));

        var noSync = Mutate(all, "KafkaConnector", "mirror-checkpoint-connector", c => c["spec"]!["config"]!.AsObject().Remove("sync.group.offsets.enabled"));
        Assert.Contains("CheckpointWithoutGroupSync", Errors(ManifestValidator.Validate(noSync)));

        var onSource = Mutate(all, "KafkaConnect", "repl-uswest-useast", c => c["spec"]!["bootstrapServers"] = "source-kafka-bootstrap.kafka-src:9093");
        Assert.Contains("ConnectNotOnTarget", Errors(ManifestValidator.Validate(onSource)));

        var noAnnotation = Mutate(all, "KafkaConnect", "repl-uswest-useast", c => c["metadata"]!["annotations"]!.AsObject().Remove("strimzi.io/use-connector-resources"));
        Assert.Contains("ConnectorResourcesDisabled", Errors(ManifestValidator.Validate(noAnnotation)));

        var noAuth = Mutate(all, "KafkaConnect", "repl-uswest-useast", c => c["spec"]!.AsObject().Remove("authentication"));
        Assert.Contains("WorkerKeyMissing", Errors(ManifestValidator.Validate(noAuth)));

        var missingKey = Mutate(all, "ConfigMap", "-source", c => c["data"]!.AsObject().Remove("sasl.mechanism"));
        Assert.Contains("ReferencedKeyMissing", Errors(ManifestValidator.Validate(missingKey)));
    }
}
