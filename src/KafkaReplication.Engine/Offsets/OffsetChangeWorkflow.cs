using System.Text.Json.Nodes;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Offsets;

/// <summary>Where one source partition should resume: a source offset, or null to remove the stored entry.</summary>
public sealed record SourceOffsetTarget(string Topic, int Partition, long? NextOffset);

/// <summary>
/// The guide's "Manually setting exact offsets" as one safe cycle per connector: stop through spec.state, wait for
/// STOPPED, PATCH (or DELETE) the offsets, read them back, and restore the connector's previous state even when a
/// step failed. If the state cannot be restored, the error says so and how to resume.
/// </summary>
public sealed class OffsetChangeWorkflow(ConnectorControl control, IConnectorOffsets offsets, IOperationLog log)
{
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The stored MirrorSourceConnector value for a resume point: the last replicated offset, next − 1.</summary>
    public static JsonObject? StoredValueFor(long? nextOffset) => nextOffset is > 0 ? new JsonObject { ["offset"] = nextOffset.Value - 1 } : null;

    public static JsonObject PartitionKey(string sourceAlias, string topic, int partition) =>
        new() { ["cluster"] = sourceAlias, ["partition"] = partition, ["topic"] = topic };

    /// <summary>Current resume points of the connector's partitions (one GET).</summary>
    public async Task<IReadOnlyList<SourceOffset>> ReadAsync(FlowHandle flow, string connector, CancellationToken ct)
    {
        var stored = await offsets.ListStoredAsync(connector, ct).ConfigureAwait(false);
        return stored.Select(o => ToSourceOffset(flow, connector, o)).Where(o => o is not null).Select(o => o!)
            .OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition).ToList();
    }

    internal static SourceOffset? ToSourceOffset(FlowHandle flow, string connector, ConnectOffset o) =>
        ToSourceOffset(flow, connector, StoredConnectOffset.From(o));

    internal static SourceOffset? ToSourceOffset(FlowHandle flow, string connector, StoredConnectOffset o) =>
        KeyOf(flow, o) is not { } k ? null : new SourceOffset
        {
            Flow = flow.Name,
            Namespace = flow.Namespace,
            Connector = connector,
            SourceAlias = k.SourceAlias,
            Topic = k.Topic,
            Partition = k.Partition,
            StoredOffset = k.StoredOffset,
            Raw = o.Raw,
        };

    /// <summary>A stored MirrorSourceConnector offset's partition key and value; null for an entry of another shape.</summary>
    internal static (string SourceAlias, string Topic, int Partition, long? StoredOffset)? KeyOf(FlowHandle flow, StoredConnectOffset o) =>
        o.Topic is null || o.Partition is null ? null : (o.Cluster ?? flow.SourceAlias, o.Topic, o.Partition.Value, o.Offset);

    public async Task<IReadOnlyList<SourceOffsetChange>> PlanAsync(FlowHandle flow, string connector, IReadOnlyList<SourceOffsetTarget>? targets, CancellationToken ct)
    {
        var current = (await ReadAsync(flow, connector, ct).ConfigureAwait(false)).ToDictionary(o => (o.Topic, o.Partition));
        if (targets is null) // reset: every stored partition goes
            return current.Values.Select(o => Change(flow, connector, o.Topic, o.Partition, o.NextOffset, null, false, false)).ToList();
        CheckResumable(flow.Connector(connector), targets);
        return targets.Select(t => Change(flow, connector, t.Topic, t.Partition,
            current.TryGetValue((t.Topic, t.Partition), out var o) ? o.NextOffset : null, t.NextOffset, false, false)).ToList();
    }

    /// <summary>Resuming at offset 0 means removing the entry; that only works when new partitions start at the earliest offset.</summary>
    private static void CheckResumable(FlowConnector connector, IReadOnlyList<SourceOffsetTarget> targets)
    {
        var reset = (string?)connector.Config["source.consumer.auto.offset.reset"]?.ToString();
        var zero = targets.FirstOrDefault(t => t.NextOffset == 0);
        if (zero is not null && string.Equals(reset, "latest", StringComparison.OrdinalIgnoreCase))
            throw ReplicationException.Invalid("CannotResumeAtZero",
                $"{zero.Topic}-{zero.Partition}: replication cannot be set to resume at offset 0 while connector '{connector.Name}' starts partitions without an offset at the latest offset (source.consumer.auto.offset.reset=latest). Set the flow back to -NewPartitionStart Earliest first.", zero);
        var negative = targets.FirstOrDefault(t => t.NextOffset < 0);
        if (negative is not null)
            throw ReplicationException.Invalid("InvalidOffset", $"{negative.Topic}-{negative.Partition}: offsets are 0 or more (got {negative.NextOffset}).", negative);
    }

    private static SourceOffsetChange Change(FlowHandle f, string c, string topic, int partition, long? old, long? @new, bool applied, bool verified) => new()
    {
        Flow = f.Name, Namespace = f.Namespace, Connector = c, Topic = topic, Partition = partition,
        OldNextOffset = old, NewNextOffset = @new, Applied = applied, Verified = verified,
    };

    /// <summary>Runs the cycle. targets null = reset every offset (DELETE).</summary>
    public async Task<IReadOnlyList<SourceOffsetChange>> ApplyAsync(FlowHandle flow, string connector, IReadOnlyList<SourceOffsetTarget>? targets,
        TimeSpan waitTimeout, CancellationToken ct)
    {
        var plan = await PlanAsync(flow, connector, targets, ct).ConfigureAwait(false);
        var previous = flow.Connector(connector).DesiredState;
        Exception? failure = null;
        IReadOnlyList<SourceOffsetChange> result = plan;
        try
        {
            if (previous != "stopped")
            {
                log.Verbose($"Stopping connector '{connector}' (was {previous}) to change its offsets.");
                await control.SetStateAsync(flow, connector, "stopped", waitTimeout, ct).ConfigureAwait(false);
            }
            log.Verbose($"Changing the offsets of '{connector}' through {offsets.Description}.");
            if (targets is null)
                await offsets.ResetAsync(connector, ct).ConfigureAwait(false);
            else
                await offsets.AlterAsync(connector, targets.Select(t =>
                    new ConnectOffset(PartitionKey(flow.SourceAlias, t.Topic, t.Partition), StoredValueFor(t.NextOffset))).ToList(), ct).ConfigureAwait(false);

            var after = (await ReadAsync(flow, connector, ct).ConfigureAwait(false)).ToDictionary(o => (o.Topic, o.Partition));
            result = plan.Select(p =>
            {
                after.TryGetValue((p.Topic, p.Partition), out var now);
                // A removed entry reads back as absent; a set one as next − 1.
                var ok = p.NewNextOffset is > 0 ? now?.NextOffset == p.NewNextOffset : now is null || now.StoredOffset is null;
                return p with { Applied = true, Verified = ok };
            }).ToList();
            var wrong = result.Where(r => !r.Verified).ToList();
            if (wrong.Count > 0)
                throw new ReplicationException(ReplicationErrorKind.OperationFailed, "OffsetVerificationFailed",
                    $"Connect accepted the new offsets of '{connector}' but reads back different values for " +
                    string.Join(", ", wrong.Take(5).Select(w => $"{w.Topic}-{w.Partition} (asked to resume at {(w.NewNextOffset?.ToString() ?? "its start")}, " +
                        $"reads {(after.TryGetValue((w.Topic, w.Partition), out var n) && n.NextOffset is { } x ? x.ToString() : "no offset")})")) + ".", connector);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Never resume on offsets nobody asked for, nor with an offsets request still pending (Strimzi's annotation).
        var keepStopped = (failure as ReplicationException)?.ErrorId switch
        {
            "OffsetVerificationFailed" => "its offsets differ from the request",
            "StrimziOffsetsRequestPending" => "an offsets request is still pending",
            _ => null,
        };
        if (keepStopped is null && previous != "stopped" && offsets is IPendingOffsetRequests pendingRequests)
        {
            try
            {
                using var check = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                if (await pendingRequests.PendingRequestAsync(connector, check.Token).ConfigureAwait(false) is { } pending)
                    keepStopped = $"the offsets request '{pending}' is still pending";
            }
            catch (Exception e) when (e is ReplicationException or OperationCanceledException)
            {
                keepStopped = $"it could not be checked that no offsets request is pending ({e.Message})";
            }
        }
        if (keepStopped is not null && previous != "stopped")
        {
            var cause = failure as ReplicationException;
            throw new ReplicationException(cause?.Kind ?? ReplicationErrorKind.OperationFailed, cause?.ErrorId ?? "ConnectorLeftStopped",
                $"{(failure is null ? "" : failure.Message + " ")}Connector '{connector}' of flow '{flow.Name}' is left STOPPED because {keepStopped}; " +
                "resuming it now could replicate from offsets nobody asked for.", connector, failure)
            {
                RecommendedAction = $"Check the stored offsets with Get-SourceOffset -Flow {flow.Name} -Namespace {flow.Namespace}; set them again with " +
                    $"Set-SourceOffset, or resume from the offsets it has now with Start-ReplicationFlow -Name {flow.Name} -Namespace {flow.Namespace} -Connector {connector}." +
                    (cause?.RecommendedAction is { } more ? " " + more : ""),
            };
        }
        if (previous != "stopped")
        {
            try
            {
                // Restore even after Ctrl+C: the user must never be left with a stopped connector by accident.
                using var restore = new CancellationTokenSource(RestoreTimeout);
                await control.SetStateAsync(flow, connector, previous, waitTimeout < RestoreTimeout ? waitTimeout : RestoreTimeout, restore.Token).ConfigureAwait(false);
                log.Verbose($"Connector '{connector}' is {ConnectorControl.ConnectStateFor(previous)} again.");
            }
            catch (Exception e)
            {
                throw new ReplicationException(ReplicationErrorKind.OperationFailed, "ConnectorLeftStopped",
                    $"Connector '{connector}' of flow '{flow.Name}' may be left STOPPED: restoring it to '{previous}' failed ({e.Message})." +
                    (failure is null ? " The offsets were changed." : $" The offset change failed before that: {failure.Message}"),
                    connector, e)
                {
                    RecommendedAction = $"Resume it with: Start-ReplicationFlow -Name {flow.Name} -Namespace {flow.Namespace} -Connector {connector}",
                };
            }
        }
        if (failure is OperationCanceledException) throw failure;
        if (failure is ReplicationException re)
            throw new ReplicationException(re.Kind, re.ErrorId, $"{re.Message} Connector '{connector}' was returned to '{previous}'; its offsets are unchanged unless Connect applied them.", re.Target, re)
            {
                RecommendedAction = re.RecommendedAction,
            };
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }
}
