using System.Text.Json.Nodes;
using k8s;
using KafkaReplication.Engine.Manifests;

namespace KafkaReplication.Engine.Kubernetes;

/// <summary>
/// Waits until a KafkaConnect's rolling restart is over, the way the guide says ("wait until configuration changes are
/// applied and worker pod rolling restart finishes"): done when the operator reports the current generation
/// (status.observedGeneration ≥ metadata.generation, written only after the roll) and Ready. Meanwhile the Connect
/// pods are watched so the progress bar counts the pods restarted so far. Watches only, no sleeps.
/// </summary>
public static class ConnectRollWait
{
    public static async Task WaitAsync(KubeGateway kube, string ns, string connect, TimeSpan timeout, IOperationLog log, string activity, CancellationToken ct)
    {
        var selector = $"strimzi.io/cluster={connect},strimzi.io/kind=KafkaConnect";
        var before = (await kube.ListAsync("v1", "Pod", ns, selector, ct).ConfigureAwait(false))
            .Select(p => (string?)p["metadata"]?["uid"]).OfType<string>().ToHashSet();
        var restarted = new HashSet<string>();
        var gate = new object();
        int Restarted() { lock (gate) return restarted.Count; }

        using var stopPods = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pods = Task.Run(() => WatchPodsAsync(kube, ns, selector, uid =>
        {
            lock (gate) if (!before.Contains(uid)) restarted.Add(uid);
        }, log, stopPods.Token), CancellationToken.None);
        try
        {
            await KubeWait.UntilAsync(kube, FlowManifestBuilder.StrimziApiVersion, Kinds.KafkaConnect, ns, connect, kc =>
            {
                var replicas = (int?)kc?["spec"]?["replicas"] ?? 3;
                var status = StrimziStatus.Of(kc);
                var pods = $"{Math.Min(Restarted(), replicas)} of {replicas} Connect pods restarted";
                if (kc is null) return WaitCheck.Pending("KafkaConnect not found");
                return status.Settled
                    ? WaitCheck.Complete($"rolling restart finished (generation {status.Generation}); {pods}")
                    : WaitCheck.Pending($"{pods}; {status.Pending}");
            }, timeout, log, activity, ct).ConfigureAwait(false);
        }
        finally
        {
            await stopPods.CancelAsync().ConfigureAwait(false);
            await pods.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reports the uid of every Connect pod that appears; a dropped watch is opened again (after a short pause), and
    /// the watch ends quietly when stopped or when pods cannot be watched at all.
    /// </summary>
    private static async Task WatchPodsAsync(KubeGateway kube, string ns, string selector, Action<string> added, IOperationLog log, CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var response = kube.Client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(ns, labelSelector: selector, watch: true, timeoutSeconds: 300, cancellationToken: ct);
#pragma warning disable CS0618 // the replacement API needs a different call shape; this one is what KubeWait uses too
                    await foreach (var (type, pod) in response.WatchAsync<k8s.Models.V1Pod, k8s.Models.V1PodList>(cancellationToken: ct).ConfigureAwait(false))
#pragma warning restore CS0618
                        if (type is WatchEventType.Added && pod.Metadata?.Uid is { } uid) added(uid);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && KubeRetry.IsTransient(e))
                {
                    log.Verbose($"The watch of the Connect pods ended ({e.Message}); watching them again.");
                    await Task.Delay(pause, ct).ConfigureAwait(false);
                    pause = pause * 2 < TimeSpan.FromSeconds(2) ? pause * 2 : TimeSpan.FromSeconds(2);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (KubeGateway.IsClientFailure(e))
        {
            // Pods are only for the progress bar; the KafkaConnect status decides.
            log.Verbose($"Not watching the Connect pods ({e.Message}); waiting on the KafkaConnect status only.");
        }
    }
}
