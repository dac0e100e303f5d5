using System.Globalization;
using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Connect;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// Reconciles one KafkaConnect as KafkaConnectAssemblyOperator.createOrUpdate does: ServiceAccount, REST Service and
/// pods, then the status (Ready, observedGeneration, url, replicas, labelSelector) once the pods run the current
/// generation. A new generation rolls the pods one by one; like the real operator, the status (observedGeneration) is
/// only written when the roll is over. Pods are owned by the KafkaConnect directly (no StrimziPodSet).
/// </summary>
internal sealed class KafkaConnectReconciler(KubernetesEmulator k8s, StrimziVersion version, Func<TimeSpan> stepDelay, Action signal)
{
    public void Reconcile(JsonObject kafkaConnect, ConnectCluster cluster, CancellationToken ct)
    {
        if (cluster.Rolling)
        {
            return;
        }

        var ns = cluster.Namespace;
        var name = cluster.Name;
        var generation = Long(kafkaConnect, 1, "metadata", "generation");
        var replicas = (int)Long(kafkaConnect, 3, "spec", "replicas"); // KafkaConnectSpec: replicas defaults to 3
        var revision = generation.ToString(CultureInfo.InvariantCulture);

        k8s.Upsert(ServiceAccount(kafkaConnect, name, ns));
        k8s.Upsert(RestService(kafkaConnect, name, ns));

        // 1.0 refuses the storage keys in spec.config (the v1 storage fields replace them): the operator reports it.
        if (version >= StrimziVersion.V1_0 && kafkaConnect["spec"]?["config"] is JsonObject config
            && StrimziReleases.StorageConfigKeys.FirstOrDefault(config.ContainsKey) is { } forbidden)
        {
            WriteNotReady(kafkaConnect, name, ns, generation, "InvalidResourceException",
                $"The option '{forbidden}' in spec.config is forbidden: use the fields groupId, configStorageTopic, offsetStorageTopic and statusStorageTopic.");
            return;
        }

        var pods = Pods(ns, name);
        if (pods.Count > 0 && pods.Any(p => Annotation(p, Revision) != revision))
        {
            cluster.Roll = RollAsync(kafkaConnect, cluster, pods, replicas, revision, ct);

            // Once the roll is over (and the cluster no longer "locked"), a pass finds the new pods and writes the status.
            cluster.Roll.ContinueWith(_ => signal(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        // Steady state: the pod set controller keeps the pods there (recreating deleted ones, removing extra ones).
        var existing = pods.Select(p => Str(p, "metadata", "name")).ToHashSet();
        for (var i = 0; i < replicas; i++)
        {
            if (!existing.Contains(Pod(name, i)))
            {
                k8s.Upsert(PodFor(kafkaConnect, name, ns, i, revision));
            }
        }

        foreach (var extra in existing.Where(p => PodIndex(name, p) >= replicas))
        {
            k8s.Delete("v1", "Pod", ns, extra!);
        }

        cluster.Connect.WorkerConfig = kafkaConnect["spec"]?["config"] as JsonObject ?? new JsonObject();
        WriteStatus(kafkaConnect, name, ns, generation, replicas);
    }

    /// <summary>The KafkaConnect's pods, by label, sorted by index.</summary>
    public List<JsonObject> Pods(string ns, string name) =>
        k8s.List("v1", "Pod", ns)
            .Where(p => Label(p, ClusterLabel) == name && Label(p, KindLabel) == KafkaConnect && !IsDeleting(p))
            .OrderBy(p => PodIndex(name, Str(p, "metadata", "name")))
            .ToList();

    private static int PodIndex(string cluster, string? pod) =>
        pod is not null && pod.StartsWith(Component(cluster) + "-", StringComparison.Ordinal)
            && int.TryParse(pod[(Component(cluster).Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue;

    // KafkaConnectRoller: one pod at a time, each deleted and recreated (new uid) with the new revision.
    private async Task RollAsync(JsonObject kafkaConnect, ConnectCluster cluster, List<JsonObject> pods, int replicas, string revision, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            var names = Enumerable.Range(0, replicas).Select(i => Pod(cluster.Name, i))
                .Union(pods.Select(p => Str(p, "metadata", "name")!)).ToList();
            for (var n = 0; n < names.Count; n++)
            {
                var pod = names[n];
                k8s.Delete("v1", "Pod", cluster.Namespace, pod);
                var index = PodIndex(cluster.Name, pod);
                if (index < replicas)
                {
                    k8s.Upsert(PodFor(kafkaConnect, cluster.Name, cluster.Namespace, index, revision));
                }

                if (n < names.Count - 1)
                {
                    await Task.Delay(stepDelay(), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            System.Diagnostics.Trace.TraceError($"Strimzi emulator: rolling restart of {cluster.Namespace}/{cluster.Name} failed: {e}");
        }
    }

    private void WriteNotReady(JsonObject kafkaConnect, string name, string ns, long generation, string reason, string message)
    {
        var status = new JsonObject
        {
            ["conditions"] = StrimziConditions.Stamp([StrimziConditions.NotReady(reason, message)], kafkaConnect["status"]),
            ["observedGeneration"] = generation,
        };
        if (!JsonNode.DeepEquals(kafkaConnect["status"], status))
        {
            k8s.PatchStatus(ApiVersion, KafkaConnect, ns, name, status);
        }
    }

    private void WriteStatus(JsonObject kafkaConnect, string name, string ns, long generation, int replicas)
    {
        var previous = kafkaConnect["status"];
        var status = new JsonObject
        {
            ["conditions"] = StrimziConditions.Stamp([StrimziConditions.Ready()], previous),
            ["observedGeneration"] = generation,
        };
        if (replicas > 0)
        {
            status["url"] = Url(name, ns);
        }

        status["connectorPlugins"] = new JsonArray(ConnectRestApi.MirrorConnectors.Select(c => (JsonNode)new JsonObject
        {
            ["class"] = c, ["type"] = "source", ["version"] = ConnectRestApi.KafkaVersion,
        }).ToArray());
        status["replicas"] = replicas;
        status["labelSelector"] = SelectorString(name);
        if (!JsonNode.DeepEquals(previous, status))
        {
            k8s.PatchStatus(ApiVersion, KafkaConnect, ns, name, status);
        }
    }

    private static JsonObject Labels(string name) => new()
    {
        [ClusterLabel] = name,
        [NameLabel] = Component(name),
        [KindLabel] = KafkaConnect,
        ["strimzi.io/component-type"] = "kafka-connect",
        ["app.kubernetes.io/name"] = "kafka-connect",
        ["app.kubernetes.io/instance"] = name,
        ["app.kubernetes.io/part-of"] = $"strimzi-{name}",
        ["app.kubernetes.io/managed-by"] = "strimzi-cluster-operator",
    };

    private static JsonObject Metadata(JsonObject owner, string objectName, string ns, string cluster) => new()
    {
        ["name"] = objectName,
        ["namespace"] = ns,
        ["labels"] = Labels(cluster),
        ["ownerReferences"] = new JsonArray(OwnerReference(owner, controller: true)),
    };

    private static JsonObject ServiceAccount(JsonObject owner, string name, string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = Metadata(owner, Component(name), ns, name),
    };

    private static JsonObject RestService(JsonObject owner, string name, string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(owner, ApiService(name), ns, name),
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = SelectorLabels(name),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "rest-api", ["port"] = RestPort, ["targetPort"] = RestPort, ["protocol"] = "TCP" }),
        },
    };

    private JsonObject PodFor(JsonObject owner, string name, string ns, int index, string revision)
    {
        var metadata = Metadata(owner, Pod(name, index), ns, name);
        metadata["labels"]!["strimzi.io/pod-name"] = Pod(name, index);
        metadata["annotations"] = new JsonObject { [Revision] = revision };
        var image = Str(owner, "spec", "image")
            ?? (version == StrimziVersion.V0_45 ? "quay.io/strimzi/kafka:0.45.0-kafka-3.8.0" : "quay.io/strimzi/kafka:0.43.0-kafka-3.8.0");
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["hostname"] = Pod(name, index),
                ["subdomain"] = Component(name),
                ["serviceAccountName"] = Component(name),
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = Component(name),
                    ["image"] = image,
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "rest-api", ["containerPort"] = RestPort, ["protocol"] = "TCP" }),
                }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = $"10.0.0.{index + 10}",
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Ready", ["status"] = "True" },
                    new JsonObject { ["type"] = "ContainersReady", ["status"] = "True" }),
            },
        };
    }
}
