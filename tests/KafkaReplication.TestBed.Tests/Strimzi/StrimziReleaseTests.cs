using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using KafkaReplication.TestBed.Strimzi;

namespace KafkaReplication.TestBed.Tests.Strimzi;

/// <summary>
/// Each emulated release serves its own kafka.strimzi.io versions (041-Crd-kafkaconnect.yaml spec.versions[].served),
/// enforces its v1 schema (KafkaConnectSpec.java @RequiredInVersions("v1+")), and writes the worker file its
/// KafkaConnectConfigurationBuilder writes.
/// </summary>
public sealed class StrimziReleaseTests
{
    private static JsonObject V1Connect(string name, bool withStorageFields = true, bool storageKeysInConfig = false)
    {
        var connect = OperatorCluster.Connect(name);
        connect["apiVersion"] = "kafka.strimzi.io/v1";
        var spec = connect["spec"]!.AsObject();
        spec.Remove("config");
        if (withStorageFields)
        {
            spec["groupId"] = name;
            spec["configStorageTopic"] = name + "-configs";
            spec["offsetStorageTopic"] = name + "-offsets";
            spec["statusStorageTopic"] = name + "-status";
        }

        spec["config"] = storageKeysInConfig ? new JsonObject { ["group.id"] = name } : new JsonObject();
        return connect;
    }

    [Fact]
    public async Task Strimzi_1_0_serves_v1_only_and_0_49_serves_both()
    {
        await using var one = await OperatorCluster.StartAsync(StrimziVersion.V1_0);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            one.Client.CustomObjects.ListNamespacedCustomObjectAsync("kafka.strimzi.io", "v1beta2", OperatorCluster.Ns, "kafkaconnects"));
        Assert.Equal(404, (int)e.Response.StatusCode);
        var groups = await one.Client.Apis.GetAPIVersionsAsync();
        Assert.Equal(["v1"], groups.Groups.Single(g => g.Name == "kafka.strimzi.io").Versions.Select(v => v.Version));

        await using var both = await OperatorCluster.StartAsync(StrimziVersion.V0_49);
        var served = (await both.Client.Apis.GetAPIVersionsAsync()).Groups.Single(g => g.Name == "kafka.strimzi.io");
        Assert.Equal(["v1", "v1beta2"], served.Versions.Select(v => v.Version));
        Assert.Equal("v1", served.PreferredVersion.Version);
        await both.Client.CustomObjects.CreateNamespacedCustomObjectAsync(V1Connect("mm2"), "kafka.strimzi.io", "v1", OperatorCluster.Ns, "kafkaconnects");
        // One stored object, readable at both versions (conversion strategy None).
        Assert.NotNull(await both.Client.CustomObjects.GetNamespacedCustomObjectAsync("kafka.strimzi.io", "v1beta2", OperatorCluster.Ns, "kafkaconnects", "mm2"));
    }

    [Fact]
    public async Task A_v1_KafkaConnect_without_the_storage_fields_is_invalid()
    {
        await using var cluster = await OperatorCluster.StartAsync(StrimziVersion.V1_0);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            V1Connect("mm2", withStorageFields: false), "kafka.strimzi.io", "v1", OperatorCluster.Ns, "kafkaconnects"));
        Assert.Equal(422, (int)e.Response.StatusCode);
        Assert.Contains("spec.groupId: Required value", e.Response.Content);
    }

    [Fact]
    public async Task Strimzi_1_0_refuses_the_storage_keys_in_spec_config()
    {
        await using var cluster = await OperatorCluster.StartAsync(StrimziVersion.V1_0);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(V1Connect("mm2", storageKeysInConfig: true), "kafka.strimzi.io", "v1", OperatorCluster.Ns, "kafkaconnects");
        await cluster.Strimzi.ReconcileNowAsync();
        var connect = System.Text.Json.JsonSerializer.SerializeToNode(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync("kafka.strimzi.io", "v1", OperatorCluster.Ns, "kafkaconnects", "mm2"))!.AsObject();
        var notReady = OperatorCluster.Condition(connect, "NotReady")!;
        Assert.Equal("InvalidResourceException", notReady["reason"]!.ToString());
        Assert.Contains("group.id", notReady["message"]!.ToString());
        Assert.Null(OperatorCluster.Condition(connect, "Ready"));
    }

    private static JsonObject SecureConnect(string name)
    {
        var connect = OperatorCluster.Connect(name);
        connect["spec"]!["tls"] = new JsonObject { ["trustedCertificates"] = new JsonArray(new JsonObject { ["secretName"] = "ca", ["certificate"] = "ca.crt" }) };
        connect["spec"]!["authentication"] = new JsonObject
        {
            ["type"] = "scram-sha-512", ["username"] = "replicator",
            ["passwordSecret"] = new JsonObject { ["secretName"] = "pwd", ["password"] = "pass" },
        };
        return connect;
    }

    private static async Task CreateSecretAsync(OperatorCluster cluster, string name, string key, string value) =>
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new k8s.Models.V1Secret
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = name },
            Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
        }, OperatorCluster.Ns);

    [Theory]
    [InlineData(StrimziVersion.V0_43, "password=\"s3cret\"", "emulated-store-password", true)]
    [InlineData(StrimziVersion.V0_46, "password=${strimzidir:/opt/kafka/connect-password/pwd:pass}", "${strimzienv:CERTS_STORE_PASSWORD}", true)]
    [InlineData(StrimziVersion.V0_47, "password=${strimzidir:/opt/kafka/connect-password/pwd:pass}", null, false)]
    public async Task The_worker_file_holds_what_the_release_writes(StrimziVersion version, string jaasPassword, string? truststorePassword, bool truststoreLocation)
    {
        await using var cluster = await OperatorCluster.StartAsync(version);
        await CreateSecretAsync(cluster, "pwd", "pass", "s3cret");
        await cluster.CreateAsync(SecureConnect("mm2"));
        var file = cluster.Strimzi.WorkerFileOf(OperatorCluster.Ns, "mm2")!;
        Assert.Equal("SASL_SSL", file["security.protocol"]);
        Assert.Equal("SCRAM-SHA-512", file["sasl.mechanism"]);
        Assert.Contains(jaasPassword, file["sasl.jaas.config"]);
        Assert.Equal(truststorePassword, file.GetValueOrDefault("ssl.truststore.password"));
        Assert.Equal(truststoreLocation, file.ContainsKey("ssl.truststore.location"));
        Assert.Equal(!truststoreLocation, file.ContainsKey("ssl.truststore.certificates"));
    }

    private static JsonObject ConnectorReading(string name, string cluster, string key, string value)
    {
        var c = OperatorCluster.Connector(name, cluster);
        c["spec"]!["config"]![key] = value;
        return c;
    }

    [Fact]
    public async Task A_connector_that_reads_a_placeholder_from_the_worker_file_fails_from_0_46()
    {
        await using var cluster = await OperatorCluster.StartAsync(StrimziVersion.V0_46);
        await CreateSecretAsync(cluster, "pwd", "pass", "s3cret");
        await cluster.CreateAsync(SecureConnect("mm2"));
        await cluster.CreateAsync(ConnectorReading("c1", "mm2", "target.cluster.sasl.jaas.config", "${file:/tmp/strimzi-connect.properties:sasl.jaas.config}"));
        await cluster.CreateAsync(ConnectorReading("c2", "mm2", "target.cluster.bootstrap.servers", "${file:/tmp/strimzi-connect.properties:bootstrap.servers}"));

        var failed = cluster.ConnectFor("mm2").Get("c1")!;
        Assert.Equal("FAILED", failed.ConnectorState);
        Assert.Contains("strimzidir", failed.Trace);
        Assert.Equal("RUNNING", cluster.ConnectFor("mm2").Get("c2")!.ConnectorState);
    }

    [Fact]
    public async Task A_connector_whose_role_does_not_cover_a_secret_fails_and_one_that_does_runs()
    {
        await using var cluster = await OperatorCluster.StartAsync(StrimziVersion.V0_46);
        await CreateSecretAsync(cluster, "target", "sasl.jaas.config", "x required;");
        await cluster.CreateAsync(OperatorCluster.Connect("mm2"));
        await cluster.CreateAsync(ConnectorReading("denied", "mm2", "target.cluster.sasl.jaas.config", "${secret:kafka/target:sasl.jaas.config}"));
        Assert.Equal("FAILED", cluster.ConnectFor("mm2").Get("denied")!.ConnectorState);
        Assert.Contains("forbidden", cluster.ConnectFor("mm2").Get("denied")!.Trace);

        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new k8s.Models.V1Role
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "read" },
            Rules = [new k8s.Models.V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], ResourceNames = ["target"], Verbs = ["get"] }],
        }, OperatorCluster.Ns);
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new k8s.Models.V1RoleBinding
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "read" },
            Subjects = [new k8s.Models.Rbacv1Subject { Kind = "ServiceAccount", Name = "mm2-connect", NamespaceProperty = OperatorCluster.Ns }],
            RoleRef = new k8s.Models.V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "read" },
        }, OperatorCluster.Ns);
        await cluster.CreateAsync(ConnectorReading("granted", "mm2", "target.cluster.sasl.jaas.config", "${secret:kafka/target:sasl.jaas.config}"));
        Assert.Equal("RUNNING", cluster.ConnectFor("mm2").Get("granted")!.ConnectorState);
    }
}
