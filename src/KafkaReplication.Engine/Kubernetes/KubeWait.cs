using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>What a wait is waiting for: done, and a status line for the progress bar.</summary>
public readonly record struct WaitCheck(bool Done, string Status)
{
    public static WaitCheck Pending(string status) => new(false, status);
    public static WaitCheck Complete(string status) => new(true, status);
}

/// <summary>
/// Waits for an object to reach a condition by watching it (no fixed sleeps): the current state is read first, then
/// watched from that resourceVersion, so no change in between is missed. A watch the server closes is re-opened;
/// one that fails (410 Gone for a compacted resourceVersion, a dropped connection, a 5xx) is followed by a fresh
/// read and a new watch (the list-then-watch of client-go's reflector), and a failed read is retried until the
/// wait's own timeout. The wait ends at the timeout, or on cancellation (Ctrl+C) at once. Progress goes to the log.
/// </summary>
public static class KubeWait
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    public static async Task<JsonObject?> UntilAsync(KubeGateway kube, string apiVersion, string kind, string ns, string name,
        Func<JsonObject?, WaitCheck> check, TimeSpan timeout, IOperationLog log, string activity, CancellationToken ct)
    {
        // Watch the Strimzi kinds at the version the cluster serves, as every other call does (KubeGateway).
        if (Strimzi.StrimziApi.IsStrimzi(apiVersion)) apiVersion = await kube.StrimziApiVersionAsync(ct).ConfigureAwait(false);
        var api = KindApi.For(apiVersion, kind);
        var started = DateTimeOffset.UtcNow;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var last = await kube.GetAsync(apiVersion, kind, ns, name, ct).ConfigureAwait(false);
        var state = check(last);
        var backoff = FirstBackoff;
        try
        {
            while (!state.Done)
            {
                Report(log, activity, state.Status, started, timeout);
                var from = (string?)last?["metadata"]?["resourceVersion"];
                log.Verbose($"GET {api.PathOf(ns, null)}?watch=true&fieldSelector=metadata.name={name}{(from is null ? "" : $"&resourceVersion={from}")}");
                string? broken = null;
                try
                {
                    await foreach (var obj in WatchAsync(kube.Client, api, ns, name, from, e => broken ??= Describe(e), deadline.Token).ConfigureAwait(false))
                    {
                        last = obj;
                        state = check(obj);
                        Report(log, activity, state.Status, started, timeout);
                        if (state.Done) break;
                    }
                }
                catch (Exception e) when (!deadline.IsCancellationRequested && IsBrokenWatch(e))
                {
                    broken = Describe(e);
                }
                if (state.Done) break;
                if (broken is null)
                {
                    backoff = FirstBackoff; // the server closed the watch (its timeout): read again and watch again
                }
                else
                {
                    log.Verbose($"The watch of {kind} {ns}/{name} ended: {broken}. Reading it again and watching from there in {backoff.TotalMilliseconds:0} ms.");
                    await Task.Delay(backoff, deadline.Token).ConfigureAwait(false);
                    backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
                }
                try
                {
                    last = await kube.GetAsync(apiVersion, kind, ns, name, deadline.Token).ConfigureAwait(false);
                    state = check(last);
                }
                catch (ReplicationException e) when (e.IsTransient() && !deadline.IsCancellationRequested)
                {
                    // One failed read must not end a long wait: the next round reads again.
                    log.Verbose($"Reading {kind} {ns}/{name} failed ({e.Message}); trying again until the wait's timeout.");
                    await Task.Delay(backoff, deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ReplicationException(ReplicationErrorKind.Timeout, "WaitTimedOut",
                $"{kind} {ns}/{name}: still waiting after {timeout.TotalSeconds:0} s: {state.Status}", $"{kind} {ns}/{name}");
        }
        catch (Exception e) when (KubeGateway.IsClientFailure(e))
        {
            throw KubeGateway.Map(e, $"watch of {kind} {ns}/{name}");
        }
        finally
        {
            log.Progress(10, activity, state.Status, 100, completed: true);
        }
        return last;
    }

    /// <summary>A watch that failed in a way a fresh read and a new watch can mend.</summary>
    private static bool IsBrokenWatch(Exception e) => KubeRetry.IsTransient(e) || e is System.Text.Json.JsonException;

    private static string Describe(Exception e) => e switch
    {
        KubernetesException k => $"HTTP {k.Status?.Code} {k.Status?.Reason}: {k.Status?.Message}",
        k8s.Autorest.HttpOperationException h => $"HTTP {(int)h.Response.StatusCode}",
        _ => e.Message,
    };

    private static void Report(IOperationLog log, string activity, string status, DateTimeOffset started, TimeSpan timeout)
    {
        var elapsed = DateTimeOffset.UtcNow - started;
        log.Progress(10, activity, $"{status} ({elapsed.TotalSeconds:0} s)", (int)Math.Min(99, elapsed.TotalMilliseconds * 100 / timeout.TotalMilliseconds));
    }

    private static async IAsyncEnumerable<JsonObject?> WatchAsync(IKubernetes client, KindApi api, string ns, string name, string? resourceVersion,
        Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var field = $"metadata.name={name}";
        if (api.Group.Length > 0)
        {
            var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                api.Group, api.Version, ns, api.Plural, fieldSelector: field, resourceVersion: resourceVersion, timeoutSeconds: 300,
                onError: onError, cancellationToken: ct);
            await foreach (var (type, item) in events.ConfigureAwait(false))
                yield return type == WatchEventType.Deleted ? null : JsonNode.Parse(item is JsonElement e ? e.GetRawText() : k8s.KubernetesJson.Serialize(item))!.AsObject();
        }
        else if (api.Kind == "Pod")
        {
            var events = client.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: field, resourceVersion: resourceVersion, timeoutSeconds: 300,
                onError: onError, cancellationToken: ct);
            await foreach (var (type, item) in events.ConfigureAwait(false))
                yield return type == WatchEventType.Deleted ? null : KindApi.ToJson(item, "v1", "Pod");
        }
        else
        {
            throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "WaitUnsupported", $"Waiting on {api.Kind} is not supported.", api.Kind);
        }
    }
}
