using k8s;
using k8s.Models;

namespace KafkaReplication.TestBed.Tests.Kubernetes;

public sealed class WatchTests
{
    [Fact]
    public async Task A_watch_sees_existing_objects_as_ADDED_then_MODIFIED_and_DELETED()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "watched", new { v = "1" });
        using var timeout = new CancellationTokenSource(EmulatedCluster.Timeout);
        var seen = new List<(WatchEventType Type, string Value)>();

        // The list call with watch=true plus WatcherExt.WatchAsync (obsolete in favour of WatchList*Async, which the
        // next test uses) is the older path clients still take; both must work.
        var response = cluster.Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("default", watch: true, cancellationToken: timeout.Token);
#pragma warning disable CS0618
        await foreach (var (type, map) in response.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: timeout.Token))
#pragma warning restore CS0618
        {
            seen.Add((type, map.Data?["v"] ?? ""));

            // Each change is made only after the previous event arrived: no timing assumptions.
            if (type == WatchEventType.Added)
            {
                await cluster.ApplyConfigMapAsync("default", "watched", new { v = "2" });
            }
            else if (type == WatchEventType.Modified)
            {
                await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("watched", "default");
            }
            else
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "1"), (WatchEventType.Modified, "2"), (WatchEventType.Deleted, "2")], seen);
    }

    [Fact]
    public async Task A_watch_from_a_resourceVersion_gets_only_later_changes_that_match_its_selector()
    {
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "before", new { v = "0" }, labels: new Dictionary<string, string> { ["app"] = "mirror" });
        var listed = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        await cluster.ApplyConfigMapAsync("default", "unlabelled", new { v = "1" });
        await cluster.ApplyConfigMapAsync("default", "labelled", new { v = "2" }, labels: new Dictionary<string, string> { ["app"] = "mirror" });
        using var timeout = new CancellationTokenSource(EmulatedCluster.Timeout);
        var seen = new List<string>();

        var watch = cluster.Client.CoreV1.WatchListNamespacedConfigMapAsync(
            "default", resourceVersion: listed.Metadata.ResourceVersion, labelSelector: "app=mirror", cancellationToken: timeout.Token);
        await foreach (var (type, map) in watch)
        {
            seen.Add($"{type} {map.Metadata.Name}");
            if (seen.Count == 1)
            {
                // Gaining the label is an ADDED for this watch, losing it a DELETED.
                await cluster.ApplyConfigMapAsync("default", "unlabelled", new { v = "1" }, labels: new Dictionary<string, string> { ["app"] = "mirror" });
            }
            else if (seen.Count == 2)
            {
                await cluster.ApplyConfigMapAsync("default", "labelled", new { v = "2" });
            }
            else
            {
                break;
            }
        }

        Assert.Equal(["Added labelled", "Added unlabelled", "Deleted labelled"], seen);
    }

    [Fact]
    public async Task A_watch_ends_after_timeoutSeconds()
    {
        // KubernetesClient waits for a first line before the watch call returns (and fails on an empty stream),
        // so the watch starts with one object.
        await using var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "c", new { v = "1" });
        using var timeout = new CancellationTokenSource(EmulatedCluster.Timeout);
        var events = 0;

        var watch = cluster.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", timeoutSeconds: 1, cancellationToken: timeout.Token);
        await foreach (var _ in watch)
        {
            events++;
        }

        Assert.Equal(1, events);
        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task Disposing_the_emulator_ends_open_watches()
    {
        var cluster = await EmulatedCluster.StartAsync();
        await cluster.ApplyConfigMapAsync("default", "c", new { v = "1" });
        using var timeout = new CancellationTokenSource(EmulatedCluster.Timeout);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in cluster.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", cancellationToken: timeout.Token))
                {
                    first.TrySetResult();
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // The server going away may surface as an aborted response.
            }
        });
        await first.Task.WaitAsync(EmulatedCluster.Timeout);
        await cluster.DisposeAsync();
        await watching.WaitAsync(EmulatedCluster.Timeout);

        Assert.False(timeout.IsCancellationRequested);
    }
}
