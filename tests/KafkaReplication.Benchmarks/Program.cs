using System.Diagnostics;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.Benchmarks;
using KafkaReplication.Engine.Kafka;
using KafkaReplication.Engine.Model;
using KafkaReplication.Kafka;
using KafkaReplication.TestBed.Kafka;
using EngineOffsetSpec = KafkaReplication.Engine.Kafka.OffsetSpec;

// End offsets of many partitions on a 3-broker librdkafka mock cluster: the gateway against the raw client.
// Usage: dotnet run -c Release --project tests/KafkaReplication.Benchmarks [-- --partitions 10000 --runs 15]
// The cmdlets in a pwsh process, with the raw floor beside them: ... -- cmdlets [--partitions 10000] [--runs 5] [--module <psd1>] [--quick] [--transactional]
if (args.FirstOrDefault() == "cmdlets") return await CmdletBenchmark.RunAsync(args[1..]);
var partitionCount = Option("--partitions", 10_000);
var runs = Option("--runs", 15);
var rttMs = Option("--rtt-ms", 0); // simulated network round trip per response (mock broker RTT)
const int Brokers = 3, PartitionsPerTopic = 500, WarmUps = 3;

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, librdkafka {Library.VersionString}");
var setup = Stopwatch.StartNew();
using var cluster = new MockKafkaCluster(Brokers);
for (var t = 0; t * PartitionsPerTopic < partitionCount; t++)
    cluster.CreateTopic($"bench-{t:00}", Math.Min(PartitionsPerTopic, partitionCount - t * PartitionsPerTopic));
cluster.Produce("bench-00", 0, 1000, payloadBytes: 10);
var reference = ClusterReferenceFactory.Create(new()
{
    Alias = "bench", BootstrapServers = cluster.BootstrapServers, SecurityProtocol = KafkaReplication.Engine.Model.SecurityProtocol.Plaintext,
});
using var gateway = new KafkaGateway(new KafkaClientSettings(reference));
var partitions = (await gateway.ListPartitionsAsync(new[] { "bench-.*" })).Select(p => p.Key).ToList();
if (rttMs > 0) cluster.SetRoundTripTime(-1, TimeSpan.FromMilliseconds(rttMs));
Console.WriteLine($"Setup: {Brokers} brokers, {partitions.Count} partitions in {(partitions.Count + PartitionsPerTopic - 1) / PartitionsPerTopic} topics, {setup.ElapsedMilliseconds} ms, broker RTT {rttMs} ms");

using var cold = new KafkaGateway(new KafkaClientSettings(reference)) { MetadataMaxAge = TimeSpan.Zero };
var sized = new[] { 100, 500, 1000 }.Select(size => new KafkaGateway(new KafkaClientSettings(reference)) { MaxPartitionsPerRequest = size }).ToList();
using var narrow = new KafkaGateway(new KafkaClientSettings(reference)) { MaxConcurrentRequests = 16 };
using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
var specs = partitions.Select(p => new TopicPartitionOffsetSpec
{
    TopicPartition = new TopicPartition(p.Topic, p.Partition), OffsetSpec = Confluent.Kafka.Admin.OffsetSpec.Latest(),
}).ToList();
Dictionary<(string, int), long> raw = new();

Console.WriteLine($"End offsets of {partitions.Count:N0} partitions; {WarmUps} warm-up rounds, then the median of {runs} rounds, cases side by side:");
var timings = await Measure.SideBySideAsync(WarmUps, runs,
    ($"(a) KafkaGateway.GetOffsetsAsync(Latest), {gateway.MaxPartitionsPerRequest}/call, {gateway.MaxConcurrentRequests} concurrent", () => gateway.GetOffsetsAsync(partitions, EngineOffsetSpec.Latest)),
    ("(a') the same, leaders not cached: + 1 metadata request", () => cold.GetOffsetsAsync(partitions, EngineOffsetSpec.Latest)),
    ("(b) raw: 10 concurrent ListOffsetsAsync of 1,000 each", async () =>
    {
        var results = await Task.WhenAll(specs.Chunk(1_000).Select(chunk => admin.ListOffsetsAsync(chunk)));
        raw = results.SelectMany(r => r.ResultInfos).Select(r => r.TopicPartitionOffsetError)
            .ToDictionary(r => (r.Topic, r.Partition.Value), r => r.Offset.Value);
    }),
    ($"    gateway at {sized[0].MaxPartitionsPerRequest}/call", () => sized[0].GetOffsetsAsync(partitions, EngineOffsetSpec.Latest)),
    ($"    gateway at {sized[1].MaxPartitionsPerRequest}/call", () => sized[1].GetOffsetsAsync(partitions, EngineOffsetSpec.Latest)),
    ($"    gateway at {sized[2].MaxPartitionsPerRequest}/call", () => sized[2].GetOffsetsAsync(partitions, EngineOffsetSpec.Latest)),
    ($"    gateway at {narrow.MaxPartitionsPerRequest}/call, {narrow.MaxConcurrentRequests} concurrent", () => narrow.GetOffsetsAsync(partitions, EngineOffsetSpec.Latest)));
sized.ForEach(g => g.Dispose());

await Measure.AloneAsync($"(c) raw: one ListOffsetsAsync of {partitions.Count:N0}", 1, 5, () => admin.ListOffsetsAsync(specs));

// One request per partition, sequential: each costs a full round trip. Run in full when that stays short, else sampled.
using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "bench" })
    .SetLogHandler((_, _) => { }).Build();
var topicPartitions = partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList();
var probe = Stopwatch.StartNew();
foreach (var tp in topicPartitions.Take(100)) consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
var sampled = probe.Elapsed.TotalMilliseconds * topicPartitions.Count / 100 > 5_000;
var watermarkSet = sampled ? topicPartitions.Take(1_000).ToList() : topicPartitions;
var d = await Measure.AloneAsync($"(d) raw: QueryWatermarkOffsets per partition ({watermarkSet.Count:N0} calls)", 0, sampled ? 1 : 3, () =>
{
    foreach (var tp in watermarkSet) consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
    return Task.CompletedTask;
});
if (sampled)
    Console.WriteLine($"      sampled; extrapolated to {topicPartitions.Count:N0} partitions: ≈ {d.MedianMs * topicPartitions.Count / watermarkSet.Count:0} ms");

gateway.Requests.Reset();
cluster.StartRequestTracking();
var viaGateway = await gateway.GetOffsetsAsync(partitions, EngineOffsetSpec.Latest);
var wire = cluster.TakeRequests();
cluster.StopRequestTracking();
Console.WriteLine($"Requests of one (a) run: {gateway.Requests}");
Console.WriteLine($"  seen by the mock brokers: ListOffsets {wire.Count(r => r.ApiKey == KafkaApiKeys.ListOffsets)}, Metadata {wire.Count(r => r.ApiKey == KafkaApiKeys.Metadata)}");

var same = viaGateway.Count == raw.Count && viaGateway.All(kv => raw[kv.Key] == kv.Value);
Console.WriteLine($"Gateway and raw answers identical: {same}; ratio (a)/(b) = {timings[0].MedianMs / timings[2].MedianMs:0.00} (target ≤ 1.3)");

await StateBenchmark.RunAsync(cluster, reference, partitions, runs);
return same ? 0 : 1;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
