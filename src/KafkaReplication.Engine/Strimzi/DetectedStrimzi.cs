using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Strimzi;

/// <summary>What a cluster tells about its Strimzi: the served API versions and, where readable, the operator's release.</summary>
public sealed record DetectedStrimzi
{
    /// <summary>The kafka.strimzi.io versions the API server serves; null when discovery was refused, empty when none.</summary>
    public IReadOnlyList<string>? ServedApiVersions { get; init; }

    /// <summary>The release of the strimzi-cluster-operator image (its tag); null when the Deployment could not be read.</summary>
    public StrimziVersion? OperatorVersion { get; init; }

    /// <summary>The Kafka versions the operator lists for Connect (STRIMZI_KAFKA_CONNECT_IMAGES); empty when unknown.</summary>
    public IReadOnlyList<string> SupportedKafkaVersions { get; init; } = Array.Empty<string>();

    public bool Installed => ServedApiVersions is null || ServedApiVersions.Count > 0;

    /// <summary>The apiVersion to read and patch with: v1 where served, else v1beta2.</summary>
    public string ApiVersion =>
        (ServedApiVersions is { } served ? StrimziApi.Preferred(served) : null) ?? OperatorVersion?.ApiVersion ?? StrimziApi.V1Beta2;

    /// <summary>True when the release is known from the operator, not only from the served API versions.</summary>
    public bool VersionIsExact => OperatorVersion is not null && OperatorVersion.ApiVersion == ApiVersion;

    /// <summary>
    /// The release to render for. The operator's own version where it agrees with what is served; otherwise the oldest
    /// release that serves the same API versions, taking 0.46 for v1beta2-only clusters: from 0.46 the connectors read
    /// the target's settings from the flow's own ConfigMaps and Secrets, which works on 0.43-0.45 too, whereas the
    /// worker-file way breaks on 0.46+.
    /// </summary>
    public StrimziVersion Version =>
        VersionIsExact ? OperatorVersion!
        : ApiVersion == StrimziApi.V1 ? (ServedApiVersions?.Contains("v1beta2") == true ? StrimziVersion.V0_49 : StrimziVersion.V1_0)
        : StrimziVersion.V0_46;

    public override string ToString() =>
        $"Strimzi {(VersionIsExact ? OperatorVersion!.ToString() : $"(operator version unknown; rendering for {Version})")}, serving {(ServedApiVersions is null ? "unknown versions" : string.Join(", ", ServedApiVersions))} of {StrimziApi.Group}";
}
