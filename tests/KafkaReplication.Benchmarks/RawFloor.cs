using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Kafka;

namespace KafkaReplication.Benchmarks;

/// <summary>Start and end offset of one partition, as the raw client reads them.</summary>
public sealed record PartitionOffsets(long Start, long End);

/// <summary>Committed-offset rows of consumer groups and their summed lag (end − committed).</summary>
public sealed record GroupLagTotals(int Rows, long Lag);

/// <summary>
/// The raw floor for the cmdlet benchmark (cmdlet-bench.ps1), loaded into pwsh's default load context beside the
/// module (which keeps its own Confluent.Kafka in a private context): the same reads done the best raw way we know
/// (docs/performance.md), so the script can time both in one process. Depends on Confluent.Kafka only, so that
/// loading it does not pull in the engine or the test bed. An instance keeps one AdminClient (the "warm" floor);
/// the static *Fresh methods build one per call, as a cmdlet without a cached client must.
/// </summary>
public sealed class RawFloor(string bootstrapServers) : IDisposable
{
    private const int PartitionsPerCall = 1_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    // One connection pool for all Connect GETs: the floor is a warm keep-alive connection.
    private static readonly HttpClient Http = new();

    private readonly IAdminClient admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
        .SetLogHandler((_, _) => { }).Build();

    /// <summary>
    /// Lets Confluent.Kafka find librdkafka in runtimes/&lt;os&gt;-&lt;arch&gt;/native beside its dll: loaded with LoadFrom
    /// into pwsh's default context it is not probed there (pwsh's deps.json does not list it). Confluent.Kafka asks
    /// by DllImport name: "librdkafka", then "centos8-librdkafka" (Debian 12: no libsasl2.so.3), "alpine-librdkafka".
    /// Returns the loaded version (loading it is the check).
    /// </summary>
    public static string LoadNative()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var extension = OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        var native = Path.Combine(Path.GetDirectoryName(typeof(Library).Assembly.Location)!, "runtimes",
            $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}", "native");
        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
            name.Contains("librdkafka", StringComparison.OrdinalIgnoreCase)
            && NativeLibrary.TryLoad(Path.Combine(native, name.EndsWith(extension, StringComparison.Ordinal) ? name : name + extension), out var handle)
                ? handle : IntPtr.Zero);
        return Library.VersionString;
    }

    /// <summary>Metadata, then start and end offsets of every partition of the topics matching the (whole-name)
    /// regular expression, each as ⌈n / 1,000⌉ concurrent ListOffsetsAsync calls. Keys are "topic/partition".</summary>
    public Dictionary<string, PartitionOffsets> ReadOffsets(string topicPattern)
    {
        var tps = Partitions(topicPattern);
        var start = ListOffsets(tps, OffsetSpec.Earliest());
        var end = ListOffsets(tps, OffsetSpec.Latest());
        return tps.ToDictionary(Key, tp => new PartitionOffsets(start[tp], end[tp]));
    }

    public static Dictionary<string, PartitionOffsets> ReadOffsetsFresh(string bootstrapServers, string topicPattern)
    {
        var floor = new RawFloor(bootstrapServers);
        try { return floor.ReadOffsets(topicPattern); }
        finally { floor.DisposeInBackground(); }
    }

    /// <summary>The groups' committed offsets on the topic's partitions (one ListConsumerGroupOffsets per group,
    /// librdkafka takes one group per request, all concurrent) and the partitions' end offsets.</summary>
    public GroupLagTotals ReadGroupLag(string[] groups, string topic)
    {
        var tps = Partitions(Regex.Escape(topic));
        var endTask = Task.Run(() => ListOffsets(tps, OffsetSpec.Latest()));
        var committed = Task.WhenAll(groups.Select(g => admin.ListConsumerGroupOffsetsAsync(
            new[] { new ConsumerGroupTopicPartitions(g, tps) }, new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout })))
            .GetAwaiter().GetResult();
        var end = endTask.GetAwaiter().GetResult();
        var rows = committed.SelectMany(r => r).SelectMany(g => g.Partitions).ToList();
        return new GroupLagTotals(rows.Count, rows.Sum(r => end[r.TopicPartition] - (r.Offset.Value >= 0 ? r.Offset.Value : 0)));
    }

    public static GroupLagTotals ReadGroupLagFresh(string bootstrapServers, string[] groups, string topic)
    {
        var floor = new RawFloor(bootstrapServers);
        try { return floor.ReadGroupLag(groups, topic); }
        finally { floor.DisposeInBackground(); }
    }

    /// <summary>One GET of /connectors/{connector}/offsets straight to the Connect REST API, parsed: the stored
    /// offset per "topic/partition".</summary>
    public static Dictionary<string, long> ReadConnectOffsets(string connectBaseUri, string connector)
    {
        using var body = Http.GetStreamAsync(new Uri(new Uri(connectBaseUri), $"connectors/{connector}/offsets")).GetAwaiter().GetResult();
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("offsets").EnumerateArray().ToDictionary(
            o => $"{o.GetProperty("partition").GetProperty("topic").GetString()}/{o.GetProperty("partition").GetProperty("partition").GetInt32()}",
            o => o.GetProperty("offset").GetProperty("offset").GetInt64());
    }

    private List<TopicPartition> Partitions(string topicPattern)
    {
        var filter = new Regex($"^(?:{topicPattern})$");
        return admin.GetMetadata(Timeout).Topics.Where(t => filter.IsMatch(t.Topic))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList();
    }

    private Dictionary<TopicPartition, long> ListOffsets(List<TopicPartition> tps, OffsetSpec spec) =>
        Task.WhenAll(tps.Chunk(PartitionsPerCall).Select(chunk => admin.ListOffsetsAsync(
                chunk.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = spec }),
                new ListOffsetsOptions { RequestTimeout = Timeout })))
            .GetAwaiter().GetResult()
            .SelectMany(r => r.ResultInfos).ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);

    private static string Key(TopicPartition tp) => $"{tp.Topic}/{tp.Partition.Value}";

    public void Dispose() => admin.Dispose();

    // librdkafka's destroy takes ~200 ms on the mock: the engine (KafkaGateway.Dispose) runs it off the caller's
    // thread, so the fresh floor does too.
    private void DisposeInBackground() => Task.Run(admin.Dispose);
}
