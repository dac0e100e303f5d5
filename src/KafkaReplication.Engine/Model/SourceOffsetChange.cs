namespace KafkaReplication.Engine.Model;

/// <summary>A source partition's replication start before and after Set-SourceOffset / Reset-SourceOffset.</summary>
public sealed record SourceOffsetChange
{
    public required string Flow { get; init; }
    public required string Namespace { get; init; }
    public required string Connector { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    /// <summary>Where replication would have resumed (null: no stored offset, auto.offset.reset decides).</summary>
    public long? OldNextOffset { get; init; }
    /// <summary>Where replication resumes now (null: entry removed, auto.offset.reset decides).</summary>
    public long? NewNextOffset { get; init; }
    /// <summary>
    /// Where replication will resume: <see cref="NewNextOffset"/>, or for a removed entry what
    /// source.consumer.auto.offset.reset gives now (the start offset for earliest, the end offset for latest).
    /// Null when not looked up.
    /// </summary>
    public long? ResumeOffset { get; init; }
    /// <summary>False for a plan (-WhatIf).</summary>
    public bool Applied { get; init; }
    /// <summary>Read back from Connect after the change and found as requested.</summary>
    public bool Verified { get; init; }
}
