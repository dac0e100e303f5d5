using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaReplication.TestBed.Kafka;
using KafkaReplication.TestBed.Kubernetes;
using KafkaReplication.TestBed.Strimzi;

namespace KafkaReplication.Benchmarks;

/// <summary>
/// The cmdlets in a real pwsh process (cmdlet-bench.ps1) against the test bed hosted here: Kubernetes and Strimzi
/// emulators, a 3-broker source and a 1-broker target mock cluster. The script asks for what only this side can do
/// with lines on its stdout ("@deployed flow connect", "@requests-reset", "@requests") and waits for the answer on
/// its stdin; every other line it prints is passed through. Exit code: the script's (0, or 1 when cmdlet and raw
/// floor disagree), 2 when the set-up fails.
/// </summary>
internal static class CmdletBenchmark
{
    private const string Ns = "repl", SourceAlias = "src";
    private const int PartitionsPerTopic = 500, RecordsPerPartition = 5, Groups = 200, GroupPartitions = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var partitions = Option(args, "--partitions", 10_000);
        var runs = Option(args, "--runs", 5);
        var quick = args.Contains("--quick");
        // The flow bench's records written in one committed transaction, as an exactly-once producer does: each of its
        // partitions ends in a commit marker, so the caught-up ones (next = end − 1) are what the marker scan reads.
        var transactional = args.Contains("--transactional");
        var repo = FindRepoRoot();
        var module = Path.GetFullPath(OptionText(args, "--module") ?? Path.Combine(repo, "out", "KafkaReplication", "KafkaReplication.psd1"));
        if (!File.Exists(module))
        {
            Console.Error.WriteLine($"No module at {module}: build it with `dotnet build KafkaReplication.sln -c Release`, or pass --module.");
            return 2;
        }

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, librdkafka {Library.VersionString}");
        var setup = Stopwatch.StartNew();
        await using var k8s = await KubernetesEmulator.StartAsync();
        await using var strimzi = await StrimziOperatorEmulator.StartAsync(k8s, StrimziVersion.V0_43);
        using var source = new MockKafkaCluster(3);
        using var target = new MockKafkaCluster(1);
        // The measured flow ("bench", topics bench-NNN of 500 partitions) and a 1,000-partition flow ("small").
        var flows = new Dictionary<string, List<(string Topic, int Partition)>>
        {
            ["bench"] = CreateTopics(source, target, "bench", partitions),
            ["small"] = CreateTopics(source, target, "small", 1_000),
        };
        source.CreateTopic("groups", GroupPartitions);
        if (transactional) ProduceEverywhere(source, flows["bench"], inOneTransaction: true);
        ProduceEverywhere(source, (transactional ? flows["small"] : flows.Values.SelectMany(p => p)).Concat(Enumerable.Range(0, GroupPartitions).Select(p => ("groups", p))));
        await CommitGroupsAsync(source);
        Console.WriteLine($"Set-up: source 3 brokers, {partitions:N0} + 1,000 partitions ({RecordsPerPartition} records each{(transactional ? ", bench's in one transaction: each ends in a commit marker" : "")}), {Groups} groups × {GroupPartitions} partitions; target 1 broker; {setup.ElapsedMilliseconds:N0} ms");

        var folder = Directory.CreateTempSubdirectory("kr-cmdlet-bench-");
        try
        {
            var (pwsh, prefix) = FindPwsh(repo);
            var start = new ProcessStartInfo(pwsh)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = repo, // `dotnet tool run` finds the manifest there
            };
            foreach (var a in prefix.Concat(new[]
            {
                "-NoProfile", "-NonInteractive", "-File", Path.Combine(repo, "tests", "KafkaReplication.Benchmarks", "cmdlet-bench.ps1"),
                "-Module", module, "-FloorFolder", AppContext.BaseDirectory, "-Namespace", Ns,
                "-SourceBootstrap", source.BootstrapServers, "-TargetBootstrap", target.BootstrapServers,
                "-Partitions", partitions.ToString(), "-Runs", runs.ToString(), "-Groups", Groups.ToString(),
            }.Concat(quick ? new[] { "-Quick" } : Array.Empty<string>()).Concat(transactional ? new[] { "-Transactional" } : Array.Empty<string>()))) start.ArgumentList.Add(a);
            start.Environment["KUBECONFIG"] = k8s.WriteKubeconfig(folder.FullName, defaultNamespace: Ns);
            start.Environment["NO_COLOR"] = "1";

            using var child = Process.Start(start)!;
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ');
                string? answer = words[0] switch
                {
                    "@deployed" => Seed(strimzi.ConnectFor(Ns, words[2]) ?? throw new InvalidOperationException($"Connect {words[2]} not reconciled"), words[1], flows[words[1]]),
                    "@requests-reset" => Do(k8s.ClearRequests),
                    "@requests" => $"{k8s.Requests.Count} {k8s.Requests.Count(r => r.IsWrite)}",
                    _ => null,
                };
                if (answer is not null) await child.StandardInput.WriteLineAsync(answer);
                else if (!line.StartsWith("What if: ", StringComparison.Ordinal)) Console.WriteLine(line); // -WhatIf runs repeat the plan
            }
            await child.WaitForExitAsync();
            Console.WriteLine($"Total run: {setup.Elapsed.TotalSeconds:0} s");
            return child.ExitCode;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Stores source offsets as MirrorSourceTask would, on 77.77 % of the flow's partitions spread evenly:
    /// two thirds caught up (last record replicated), one third 3 records behind; the rest NotStarted.</summary>
    private static string Seed(TestBed.Connect.ConnectEmulator connect, string flow, List<(string Topic, int Partition)> partitions)
    {
        var entries = partitions
            .Where((_, i) => (i + 1L) * 7777 / 10000 > i * 7777L / 10000)
            .Select((p, i) => (new JsonObject { ["cluster"] = SourceAlias, ["partition"] = p.Partition, ["topic"] = p.Topic },
                (JsonObject?)new JsonObject { ["offset"] = i % 3 == 0 ? RecordsPerPartition - 4 : RecordsPerPartition - 1 }))
            .ToList();
        connect.CommitOffsets($"{flow}-mirror-source-connector", entries);
        return $"ok {connect.BaseUri} {entries.Count}";
    }

    private static string Do(Action action)
    {
        action();
        return "ok";
    }

    private static List<(string, int)> CreateTopics(MockKafkaCluster source, MockKafkaCluster target, string prefix, int partitions)
    {
        var list = new List<(string, int)>(partitions);
        for (var t = 0; t * PartitionsPerTopic < partitions; t++)
        {
            var (topic, count) = ($"{prefix}-{t:000}", Math.Min(PartitionsPerTopic, partitions - t * PartitionsPerTopic));
            source.CreateTopic(topic, count);
            target.CreateTopic($"{SourceAlias}.{topic}", count); // the Default policy's remote topic
            list.AddRange(Enumerable.Range(0, count).Select(p => (topic, p)));
        }
        return list;
    }

    /// <summary>RecordsPerPartition records on every partition through one producer (MockKafkaCluster.Produce flushes
    /// per partition, too slow for 100,000 partitions); in one committed transaction when asked (each partition then
    /// ends in a commit marker, at RecordsPerPartition).</summary>
    private static void ProduceEverywhere(MockKafkaCluster cluster, IEnumerable<(string Topic, int Partition)> partitions, bool inOneTransaction = false)
    {
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5 };
        if (inOneTransaction) config.TransactionalId = $"bench-{Guid.NewGuid():N}";
        else config.EnableIdempotence = false;
        using var producer = new ProducerBuilder<Null, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var message = new Message<Null, byte[]> { Value = new byte[10] };
        Error? failure = null;
        if (inOneTransaction)
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            producer.BeginTransaction();
        }
        foreach (var (topic, partition) in partitions)
        for (var i = 0; i < RecordsPerPartition; i++)
        {
            while (true)
            {
                try { producer.Produce(new TopicPartition(topic, partition), message, r => failure ??= r.Error.IsError ? r.Error : null); break; }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull) { producer.Poll(TimeSpan.FromMilliseconds(50)); }
            }
        }
        if (producer.Flush(TimeSpan.FromMinutes(2)) > 0 || failure is not null) throw new InvalidOperationException($"Producing failed: {failure?.Reason ?? "not all records acknowledged"}");
        if (inOneTransaction) producer.CommitTransaction(TimeSpan.FromMinutes(2));
    }

    /// <summary>Committed offsets of member-less groups g000..g199 on all partitions of "groups" (0..5 of 5 records:
    /// lag varies), as MockKafkaClients.CommitGroup does, through one admin client.</summary>
    private static async Task CommitGroupsAsync(MockKafkaCluster cluster)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        for (var g = 0; g < Groups; g++)
            await admin.AlterConsumerGroupOffsetsAsync(new[]
            {
                new ConsumerGroupTopicPartitionOffsets($"g{g:000}", Enumerable.Range(0, GroupPartitions)
                    .Select(p => new TopicPartitionOffset("groups", p, (g + p) % (RecordsPerPartition + 1))).ToList()),
            });
    }

    /// <summary>The tool manifest's pwsh (dotnet-tools.json) as its apphost in the NuGet cache, else `dotnet pwsh`.</summary>
    private static (string File, string[] Prefix) FindPwsh(string repo)
    {
        var version = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "dotnet-tools.json")))!["tools"]!["powershell"]!["version"]!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var apphost = Path.Combine(packages, "powershell", version, "tools", "net10.0", "any",
            OperatingSystem.IsWindows() ? "win" : "unix", OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
        return File.Exists(apphost) ? (apphost, Array.Empty<string>()) : ("dotnet", new[] { "tool", "run", "pwsh", "--" });
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KafkaReplication.sln"))) return dir.FullName;
        throw new InvalidOperationException("KafkaReplication.sln not found above " + AppContext.BaseDirectory);
    }

    private static int Option(string[] args, string name, int fallback) =>
        int.TryParse(OptionText(args, name), out var v) ? v : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
