using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Strimzi;
using Xunit;

namespace KafkaReplication.Engine.Tests.Strimzi;

public sealed class StrimziVersionTests
{
    [Theory]
    [InlineData("0.42")]
    [InlineData("banana")]
    [InlineData("")]
    [InlineData("1")]
    public void Refuses_what_is_not_a_supported_release(string text)
    {
        var e = Assert.Throws<ReplicationException>(() => StrimziVersion.Parse(text));
        Assert.Equal("StrimziVersionInvalid", e.ErrorId);
    }

    [Theory]
    [InlineData("0.43", "0.43")]
    [InlineData("0.43.0", "0.43")]
    [InlineData("v0.45.1", "0.45")]
    [InlineData("0.49.0-rc1", "0.49")]
    [InlineData("1.2.0", "1.2")]
    public void Parses_releases_and_image_tags(string text, string expected) =>
        Assert.Equal(expected, StrimziVersion.Parse(text).ToString());

    [Theory]
    [MemberData(nameof(StrimziReleaseFacts.All), MemberType = typeof(StrimziReleaseFacts))]
    public void The_capability_table_matches_each_release(string release)
    {
        var facts = StrimziReleaseFacts.Of(release);
        var v = StrimziVersion.Parse(release);
        Assert.Equal(facts.Served.OrderBy(x => x), v.ServedApiVersions.OrderBy(x => x));
        Assert.Equal(facts.ApiVersion, v.ApiVersion);
        Assert.Equal(facts.WorkerFileHasRealSecurityValues, v.WorkerFileHoldsSecurityValues);
        Assert.Equal(facts.WorkerFileHasTruststoreLocation, v.WorkerFileHasTruststoreLocation);
        Assert.Equal(facts.ConnectorHasPause, v.ConnectorHasPauseField);
        Assert.Equal(facts.ConnectForbiddenConfig.Length > 0, v.StorageKeysForbiddenInConfig);
    }

    [Fact]
    public void Versions_order_by_major_then_minor()
    {
        Assert.True(StrimziVersion.Parse("0.50") < StrimziVersion.Parse("1.0"));
        Assert.True(StrimziVersion.TryParse("0.9")! < StrimziVersion.Parse("0.43")); // numeric, not text order
        Assert.True(StrimziVersion.Parse("0.46") > StrimziVersion.Parse("0.45"));
        Assert.Equal(StrimziVersion.Parse("0.46.2"), StrimziVersion.Parse("0.46"));
    }

    // Shaped as packaging/install/cluster-operator/060-Deployment-strimzi-cluster-operator.yaml.
    private static JsonObject OperatorDeployment(string image, string? connectImages)
    {
        var env = new JsonArray(new JsonObject { ["name"] = "STRIMZI_NAMESPACE", ["value"] = "*" });
        if (connectImages is not null) env.Add(new JsonObject { ["name"] = "STRIMZI_KAFKA_CONNECT_IMAGES", ["value"] = connectImages });
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "strimzi-cluster-operator", ["namespace"] = "strimzi", ["labels"] = new JsonObject { ["app"] = "strimzi" } },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "strimzi-cluster-operator", ["image"] = image, ["env"] = env }),
                    },
                },
            },
        };
    }

    [Fact]
    public void An_unreadable_operator_leaves_the_version_to_the_served_apis()
    {
        Assert.Null(StrimziDetector.FromOperator(null).OperatorVersion);
        var latest = StrimziDetector.FromOperator(OperatorDeployment("quay.io/strimzi/operator:latest", null));
        Assert.Null(latest.OperatorVersion);
        Assert.Empty(latest.SupportedKafkaVersions);
        Assert.Equal(StrimziVersion.V1_0, (latest with { ServedApiVersions = new[] { "v1" } }).Version);
        Assert.Equal(StrimziVersion.V0_49, (latest with { ServedApiVersions = new[] { "v1", "v1beta2" } }).Version);
        // v1beta2 only: 0.43 to 0.48; 0.46 renders target settings that work on all of them.
        Assert.Equal(StrimziVersion.V0_46, (latest with { ServedApiVersions = new[] { "v1beta2" } }).Version);
    }

    [Fact]
    public void Reads_the_operators_release_and_kafka_versions_from_its_deployment()
    {
        var d = StrimziDetector.FromOperator(OperatorDeployment("quay.io/strimzi/operator:0.43.0",
            "3.7.0=quay.io/strimzi/kafka:0.43.0-kafka-3.7.0\n3.7.1=quay.io/strimzi/kafka:0.43.0-kafka-3.7.1\n3.8.0=quay.io/strimzi/kafka:0.43.0-kafka-3.8.0\n"))
            with { ServedApiVersions = new[] { "v1beta2" } };
        Assert.Equal(StrimziVersion.Parse("0.43"), d.OperatorVersion);
        Assert.True(d.VersionIsExact);
        Assert.Equal(StrimziVersion.Default, d.Version);
        Assert.Equal(new[] { "3.7.0", "3.7.1", "3.8.0" }, d.SupportedKafkaVersions);
    }

    [Fact]
    public void An_operator_release_that_disagrees_with_the_served_api_is_not_trusted()
    {
        // CRDs of 1.x (v1 only) left behind with an old operator image: what is served decides.
        var d = StrimziDetector.FromOperator(OperatorDeployment("quay.io/strimzi/operator:0.45.0", null)) with { ServedApiVersions = new[] { "v1" } };
        Assert.False(d.VersionIsExact);
        Assert.Equal(StrimziApi.V1, d.ApiVersion);
        Assert.Equal(StrimziVersion.V1_0, d.Version);
    }

    [Fact]
    public void Kafka_version_outside_the_operators_list_fails_and_a_vendor_build_warns()
    {
        var strimzi = new DetectedStrimzi { ServedApiVersions = new[] { "v1beta2" }, SupportedKafkaVersions = new[] { "3.7.0", "3.7.1", "3.8.0" } };
        var unsupported = KafkaVersionCheck.Check("3.6.0", strimzi, "kc");
        Assert.Equal((FindingSeverity.Error, "KafkaVersionNotSupported"), (unsupported!.Severity, unsupported.Code));
        var vendor = KafkaVersionCheck.Check("3.8.0.1.2", strimzi, "kc");
        Assert.Equal((FindingSeverity.Warning, "KafkaVersionNotListed"), (vendor!.Severity, vendor.Code));
        Assert.Null(KafkaVersionCheck.Check("3.8.0", strimzi, "kc"));
        Assert.Null(KafkaVersionCheck.Check(null, strimzi, "kc"));
        // Where the cluster does not tell, nothing is claimed.
        Assert.Null(KafkaVersionCheck.Check("3.6.0", strimzi with { SupportedKafkaVersions = Array.Empty<string>() }, "kc"));
    }
}
