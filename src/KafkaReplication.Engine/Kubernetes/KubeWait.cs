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
/// Waits for an object to reach a condition by watching it (no fixed sleeps): the current state is read first,
/// then every change is evaluated as it arrives. A closed watch is re-opened; the wait ends at the timeout or on
/// cancellation (Ctrl+C) at once. Progress goes to the log as a bar.
/// </summary>
public static class KubeWait
{
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
        try
        {
            while (!state.Done)
            {
                Report(log, activity, state.Status, started, timeout);
                log.Verbose($"GET {api.PathOf(ns, null)}?watch=true&fieldSelector=metadata.name={name}");
                await foreach (var obj in WatchAsync(kube.Client, api, ns, name, deadline.Token).ConfigureAwait(false))
                {
                    last = obj;
                    state = check(obj);
                    Report(log, activity, state.Status, started, timeout);
                    if (state.Done) break;
                }
                if (!state.Done)
                {
                    // The server closed the watch (its timeout): read again and watch again.
                    last = await kube.GetAsync(apiVersion, kind, ns, name, deadline.Token).ConfigureAwait(false);
                    state = check(last);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ReplicationException(ReplicationErrorKind.Timeout, "WaitTimedOut",
                $"{kind} {ns}/{name}: still waiting after {timeout.TotalSeconds:0} s: {state.Status}", $"{kind} {ns}/{name}");
        }
        finally
        {
            log.Progress(10, activity, state.Status, 100, completed: true);
        }
        return last;
    }

    private static void Report(IOperationLog log, string activity, string status, DateTimeOffset started, TimeSpan timeout)
    {
        var elapsed = DateTimeOffset.UtcNow - started;
        log.Progress(10, activity, $"{status} ({elapsed.TotalSeconds:0} s)", (int)Math.Min(99, elapsed.TotalMilliseconds * 100 / timeout.TotalMilliseconds));
    }

    private static async IAsyncEnumerable<JsonObject?> WatchAsync(IKubernetes client, KindApi api, string ns, string name,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var field = $"metadata.name={name}";
        if (api.Group.Length > 0)
        {
            var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                api.Group, api.Version, ns, api.Plural, fieldSelector: field, timeoutSeconds: 300, cancellationToken: ct);
            await foreach (var (type, item) in events.ConfigureAwait(false))
                yield return type == WatchEventType.Deleted ? null : JsonNode.Parse(item is JsonElement e ? e.GetRawText() : k8s.KubernetesJson.Serialize(item))!.AsObject();
        }
        else if (api.Kind == "Pod")
        {
            var events = client.CoreV1.WatchListNamespacedPodAsync(ns, fieldSelector: field, timeoutSeconds: 300, cancellationToken: ct);
            await foreach (var (type, item) in events.ConfigureAwait(false))
                yield return type == WatchEventType.Deleted ? null : KindApi.ToJson(item, "v1", "Pod");
        }
        else
        {
            throw new NotSupportedException($"Waiting on {api.Kind} is not supported.");
        }
    }
}
