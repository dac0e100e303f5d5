using System.Text;
using System.Text.Json.Nodes;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Strimzi;

namespace KafkaReplication.Engine.Manifests;

/// <summary>
/// Turns a flow definition into the Kubernetes objects of the vendor guide's "Deploying a replication flow"
/// (steps 2-11), for every security variant. Pure: same definition, same objects, in apply order.
/// </summary>
public static class FlowManifestBuilder
{
    /// <summary>
    /// The Strimzi apiVersion callers name to read or patch a Strimzi kind; KubeGateway sends it to the version the
    /// cluster serves. What is rendered follows <see cref="ReplicationFlowDefinition.StrimziVersion"/>.
    /// </summary>
    public const string StrimziApiVersion = Strimzi.StrimziApi.V1Beta2;
    public const string SourceConnectorClass = "org.apache.kafka.connect.mirror.MirrorSourceConnector";
    public const string CheckpointConnectorClass = "org.apache.kafka.connect.mirror.MirrorCheckpointConnector";
    public const string HeartbeatConnectorClass = "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector";
    public const string IdentityPolicyClass = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
    public const string DefaultPolicyClass = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
    public const string ByteArrayConverter = "org.apache.kafka.connect.converters.ByteArrayConverter";

    public static IReadOnlyList<ManifestObject> Build(ReplicationFlowDefinition flow)
    {
        var list = new List<ManifestObject> { Namespace(flow) };
        if (flow.RegistryServer is not null && flow.RegistrySecretName is not null) list.Add(RegistrySecret(flow));
        list.Add(TargetConfigMap(flow));
        if (flow.Target.UsesSasl) list.Add(TargetPasswordSecret(flow));
        if (flow.Target.UsesTls) list.Add(TargetCaSecret(flow));
        if (HasSourceSecret(flow)) list.Add(SourceSecret(flow));
        list.Add(SourceConfigMap(flow));
        list.Add(ReplicationConfigMap(flow));
        var sources = SourceConnectorLayout.Of(flow);
        if (flow.HasSourceConnectorList)
            list.AddRange(sources.Select(s => ConfigMap(flow, s.TopicsConfigMap, new JsonObject { ["topics"] = string.Join(",", s.Topics) })));
        if (flow.Metrics) list.Add(ConfigMap(flow, flow.Names.MetricsConfigMap, new JsonObject { [ConnectMetrics.ConfigKey] = ConnectMetrics.ExporterConfig }));
        list.Add(KafkaConnect(flow));
        list.Add(Role(flow));
        list.Add(RoleBinding(flow));
        list.AddRange(sources.Select(s => SourceConnector(flow, s)));
        if (flow.Checkpoint) list.Add(CheckpointConnector(flow));
        if (flow.Heartbeat) list.Add(HeartbeatConnector(flow));
        return list;
    }

    /// <summary>The release a definition is rendered for: its own, else the guide's 0.43.</summary>
    public static StrimziVersion VersionOf(ReplicationFlowDefinition f) => f.StrimziVersion ?? StrimziVersion.Default;

    /// <summary>From 0.46 the connectors read the target's settings from the flow's own ConfigMap and Secrets.</summary>
    internal static bool TargetFromFlowObjects(ReplicationFlowDefinition f) => !VersionOf(f).WorkerFileHoldsSecurityValues;

    internal static bool HasSourceSecret(ReplicationFlowDefinition f) => f.Source.UsesTls || f.Source.UsesSasl;

    private static JsonObject Metadata(ReplicationFlowDefinition f, string name, bool namespaced = true, JsonObject? extraLabels = null, JsonObject? annotations = null)
    {
        var labels = new JsonObject
        {
            [FlowLabels.ManagedBy] = FlowLabels.ManagerName,
            [FlowLabels.PartOf] = FlowLabels.PartOfValue,
            [FlowLabels.Flow] = f.Name,
        };
        if (extraLabels is not null)
            foreach (var (k, v) in extraLabels) labels[k] = v?.DeepClone();
        var md = new JsonObject { ["name"] = name };
        if (namespaced) md["namespace"] = f.Namespace;
        md["labels"] = labels;
        if (annotations is not null) md["annotations"] = annotations;
        return md;
    }

    private static ManifestObject Namespace(ReplicationFlowDefinition f) => new(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        // Per-flow owner key besides the flow label: a pair sharing the namespace keeps both (FlowLabels.NamespaceOwnerPrefix).
        ["metadata"] = Metadata(f, f.Namespace, namespaced: false, extraLabels: new JsonObject { [FlowLabels.NamespaceOwner(f.Name)] = "true" }),
    });

    private static ManifestObject Secret(ReplicationFlowDefinition f, string name, IEnumerable<(string Key, byte[] Value, string? SecretDescription)> entries, string? type = null)
    {
        var data = new JsonObject();
        var secretKeys = new Dictionary<string, string>();
        foreach (var (key, value, description) in entries)
        {
            data[key] = Convert.ToBase64String(value);
            if (description is not null) secretKeys[key] = description;
        }
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = Metadata(f, name),
        };
        if (type is not null) body["type"] = type;
        body["data"] = data;
        return new ManifestObject(body) { SecretKeys = secretKeys };
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static ManifestObject RegistrySecret(ReplicationFlowDefinition f)
    {
        // Same shape as `kubectl create secret docker-registry` (guide step 3).
        var auth = Convert.ToBase64String(Utf8($"{f.RegistryUserName}:{f.RegistryPassword!.Reveal()}"));
        var json = new JsonObject
        {
            ["auths"] = new JsonObject
            {
                [f.RegistryServer!] = new JsonObject
                {
                    ["username"] = f.RegistryUserName,
                    ["password"] = f.RegistryPassword.Reveal(),
                    ["auth"] = auth,
                },
            },
        }.ToJsonString();
        return Secret(f, f.RegistrySecretName!, new[] { (".dockerconfigjson", Utf8(json), (string?)$"registry credentials for {f.RegistryServer}") },
            "kubernetes.io/dockerconfigjson");
    }

    private static ManifestObject ConfigMap(ReplicationFlowDefinition f, string name, JsonObject data) => new(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(f, name),
        ["data"] = data,
    });

    private static ManifestObject TargetConfigMap(ReplicationFlowDefinition f)
    {
        var data = new JsonObject { ["alias"] = f.Target.Alias };
        if (TargetFromFlowObjects(f))
        {
            // 0.46+: the worker file holds placeholders, so the connectors read the target from here (as the source).
            var t = f.Target;
            data["bootstrap.servers"] = t.BootstrapServers;
            data["security.protocol"] = t.SecurityProtocol.ToKafka();
            if (t.UsesSasl) data["sasl.mechanism"] = t.SaslMechanism!.Value.ToKafka();
            // The CA in the target CA Secret is PEM (what KafkaConnect spec.tls.trustedCertificates takes).
            if (t.UsesTls) data["ssl.truststore.type"] = "PEM";
        }
        return ConfigMap(f, f.Names.TargetConfigMap, data);
    }

    private static ManifestObject TargetPasswordSecret(ReplicationFlowDefinition f)
    {
        var t = f.Target;
        var entries = new List<(string, byte[], string?)> { ("pass", Utf8(t.Password!.Reveal()), $"SASL password of user '{t.UserName}' on the target cluster '{t.Alias}'") };
        if (TargetFromFlowObjects(f))
            entries.Add(("sasl.jaas.config", Utf8(t.BuildJaasConfig()), $"JAAS config with the SASL credentials of user '{t.UserName}' on the target cluster '{t.Alias}'"));
        return Secret(f, f.Names.TargetPasswordSecret, entries);
    }

    private static ManifestObject TargetCaSecret(ReplicationFlowDefinition f) =>
        Secret(f, f.Names.TargetCaSecret, new[] { ("ca.crt", f.Target.GetTrustMaterial(), (string?)null) });

    private static ManifestObject SourceSecret(ReplicationFlowDefinition f)
    {
        var s = f.Source;
        var entries = new List<(string, byte[], string?)>();
        if (s.UsesTls)
        {
            // Order as the guide's kubectl command: password, truststore file, JAAS config.
            if (s.TruststorePassword is not null)
                entries.Add(("ssl.truststore.password", Utf8(s.TruststorePassword.Reveal()), $"truststore password of the source cluster '{s.Alias}'"));
            entries.Add((s.TrustFileName!, s.GetTrustMaterial(), null));
        }
        if (s.UsesSasl)
            entries.Add(("sasl.jaas.config", Utf8(s.BuildJaasConfig()), $"JAAS config with the SASL credentials of user '{s.UserName}' on the source cluster '{s.Alias}'"));
        return Secret(f, f.Names.SourceSecret, entries);
    }

    private static ManifestObject SourceConfigMap(ReplicationFlowDefinition f)
    {
        var s = f.Source;
        var data = new JsonObject
        {
            ["alias"] = s.Alias,
            ["bootstrap.servers"] = s.BootstrapServers,
            ["security.protocol"] = s.SecurityProtocol.ToKafka(),
        };
        if (s.UsesSasl) data["sasl.mechanism"] = s.SaslMechanism!.Value.ToKafka();
        if (s.UsesTls)
        {
            data["ssl.truststore.location"] = $"{f.Names.SourceTruststoreMountPath}/{s.TrustFileName}";
            // JKS is Kafka's default type; PEM and PKCS12 must be named.
            if (s.TruststoreType != TruststoreType.Jks) data["ssl.truststore.type"] = s.TruststoreType!.Value.ToString().ToUpperInvariant();
        }
        return ConfigMap(f, f.Names.SourceConfigMap, data);
    }

    private static ManifestObject ReplicationConfigMap(ReplicationFlowDefinition f)
    {
        // With several source connectors this is the guide's common ConfigMap: the policy only, always spelt out.
        if (f.HasSourceConnectorList)
            return ConfigMap(f, f.Names.ReplicationConfigMap, new JsonObject { ["replication.policy.class"] = PolicyClass(f.ReplicationPolicy) });
        var data = new JsonObject { ["topics"] = string.Join(",", f.Topics) };
        if (f.ReplicationPolicy == ReplicationPolicy.Identity) data["replication.policy.class"] = IdentityPolicyClass;
        return ConfigMap(f, f.Names.ReplicationConfigMap, data);
    }

    public static string PolicyClass(ReplicationPolicy p) => p == ReplicationPolicy.Identity ? IdentityPolicyClass : DefaultPolicyClass;

    /// <summary>
    /// True when FileConfigProvider of that Kafka version (null: Strimzi's default) knows allowed.paths (3.8.0 and later).
    /// Only major.minor counts: vendor builds add parts (the guide's 3.8.0.1.2).
    /// </summary>
    public static bool FileProviderHasAllowedPaths(string? kafkaVersion)
    {
        if (kafkaVersion is null) return true;
        var parts = kafkaVersion.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minor)
            && (major, minor).CompareTo((3, 8)) >= 0;
    }

    private static ManifestObject KafkaConnect(ReplicationFlowDefinition f)
    {
        var n = f.Names;
        var spec = new JsonObject();
        if (f.KafkaVersion is not null) spec["version"] = f.KafkaVersion;
        spec["replicas"] = f.ConnectReplicas;
        spec["bootstrapServers"] = f.Target.BootstrapServers;
        var version = VersionOf(f);
        if (version.ConnectStorageInSpec)
        {
            // v1: required spec fields (KafkaConnectSpec.java @RequiredInVersions("v1+")); the config keys are
            // deprecated in 0.49 and refused from 1.0. The guide's names, so an upgraded flow keeps its Connect group.
            spec["groupId"] = $"{n.ConnectCluster}-consumer-group";
            spec["configStorageTopic"] = $"{n.ConnectCluster}-config-topic";
            spec["offsetStorageTopic"] = $"{n.ConnectCluster}-offsets-topic";
            spec["statusStorageTopic"] = $"{n.ConnectCluster}-status-topic";
        }
        if (f.Target.UsesTls)
            spec["tls"] = new JsonObject
            {
                ["trustedCertificates"] = new JsonArray(new JsonObject { ["secretName"] = n.TargetCaSecret, ["certificate"] = "ca.crt" }),
            };
        if (f.Target.UsesSasl)
            spec["authentication"] = new JsonObject
            {
                ["type"] = f.Target.SaslMechanism!.Value.ToStrimziAuthenticationType(),
                ["username"] = f.Target.UserName,
                ["passwordSecret"] = new JsonObject { ["secretName"] = n.TargetPasswordSecret, ["password"] = "pass" },
            };
        if (f.RegistrySecretName is not null)
        {
            // Pull the Connect image with the registry Secret (guide step 3) even where the operator was not told about it.
            var pod = (JsonObject)(((JsonObject)(spec["template"] ??= new JsonObject()))["pod"] ??= new JsonObject());
            pod["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = f.RegistrySecretName });
        }
        if (f.Source.UsesTls)
        {
            // Strimzi's additional volumes (template.pod.volumes / connectContainer.volumeMounts). The guide writes
            // `items: [truststore.jks]`; Kubernetes wants key/path pairs, so that is what is rendered.
            var template = (JsonObject)(spec["template"] ??= new JsonObject());
            var pod = (JsonObject)(template["pod"] ??= new JsonObject());
            pod["volumes"] = new JsonArray(new JsonObject
                    {
                        ["name"] = n.SourceTruststoreVolume,
                        ["secret"] = new JsonObject
                        {
                            ["secretName"] = n.SourceSecret,
                            ["items"] = new JsonArray(new JsonObject { ["key"] = f.Source.TrustFileName, ["path"] = f.Source.TrustFileName }),
                        },
                    });
            template["connectContainer"] = new JsonObject
            {
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = n.SourceTruststoreVolume, ["mountPath"] = n.SourceTruststoreMountPath }),
            };
        }
        var c = n.ConnectCluster;
        var config = new JsonObject();
        if (!version.ConnectStorageInSpec)
        {
            config["group.id"] = $"{c}-consumer-group";
            config["offset.storage.topic"] = $"{c}-offsets-topic";
            config["config.storage.topic"] = $"{c}-config-topic";
            config["status.storage.topic"] = $"{c}-status-topic";
        }
        config["config.storage.replication.factor"] = -1;
        config["offset.storage.replication.factor"] = -1;
        config["status.storage.replication.factor"] = -1;
        config["config.providers"] = "cfmap,secret,file";
        config["config.providers.cfmap.class"] = "io.strimzi.kafka.KubernetesConfigMapConfigProvider";
        config["config.providers.secret.class"] = "io.strimzi.kafka.KubernetesSecretConfigProvider";
        config["config.providers.file.class"] = "org.apache.kafka.common.config.provider.FileConfigProvider";
        // KIP-993 (Kafka 3.8.0; apache/kafka clients/.../common/config/internals/AllowedPaths.java): the file provider may read
        // only below /tmp, where the one file the connectors read lives (ConfigRef.WorkerPropertiesFile). Without a version,
        // Strimzi's default applies: 3.8.0 or later from Strimzi 0.43, the oldest release the module renders for.
        if (FileProviderHasAllowedPaths(f.KafkaVersion))
            config["config.providers.file.param.allowed.paths"] = "/tmp";
        spec["config"] = config;
        if (f.ExactlyOnce) spec["config"]!["exactly.once.source.support"] = "enabled";
        if (f.Metrics)
            spec["metricsConfig"] = new JsonObject
            {
                ["type"] = "jmxPrometheusExporter",
                ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = n.MetricsConfigMap, ["key"] = ConnectMetrics.ConfigKey } },
            };
        if (f.ConnectResources is { IsEmpty: false } r)
        {
            var resources = new JsonObject();
            if (r.MemoryRequest is not null || r.CpuRequest is not null) resources["requests"] = Quantities(r.MemoryRequest, r.CpuRequest);
            if (r.MemoryLimit is not null || r.CpuLimit is not null) resources["limits"] = Quantities(r.MemoryLimit, r.CpuLimit);
            spec["resources"] = resources;
        }
        return new ManifestObject(new JsonObject
        {
            ["apiVersion"] = version.ApiVersion,
            ["kind"] = "KafkaConnect",
            ["metadata"] = Metadata(f, c, annotations: new JsonObject
            {
                ["strimzi.io/use-connector-resources"] = "true",
                // Read back by Get-ReplicationFlow and the operating cmdlets, so a live flow describes itself.
                [FlowLabels.SourceAliasAnnotation] = f.Source.Alias,
                [FlowLabels.TargetAliasAnnotation] = f.Target.Alias,
                [FlowLabels.PolicyAnnotation] = f.ReplicationPolicy.ToString(),
                [FlowLabels.StrimziVersionAnnotation] = version.ToString(),
            }),
            ["spec"] = spec,
        });
    }

    private static JsonObject Quantities(string? memory, string? cpu)
    {
        var o = new JsonObject();
        if (memory is not null) o["memory"] = memory;
        if (cpu is not null) o["cpu"] = cpu;
        return o;
    }

    private static ManifestObject Role(ReplicationFlowDefinition f)
    {
        var n = f.Names;
        var rules = new JsonArray();
        var secrets = new List<string>();
        if (HasSourceSecret(f)) secrets.Add(n.SourceSecret);
        if (TargetFromFlowObjects(f))
        {
            if (f.Target.UsesSasl) secrets.Add(n.TargetPasswordSecret);
            if (f.Target.UsesTls) secrets.Add(n.TargetCaSecret);
        }
        if (secrets.Count > 0) rules.Add(Rule("secrets", secrets.ToArray()));
        var configMaps = new List<string> { n.SourceConfigMap, n.TargetConfigMap, n.ReplicationConfigMap };
        if (f.HasSourceConnectorList) configMaps.AddRange(SourceConnectorLayout.Of(f).Select(s => s.TopicsConfigMap));
        rules.Add(Rule("configmaps", configMaps.ToArray()));
        return new ManifestObject(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = Metadata(f, n.Role),
            ["rules"] = rules,
        });

        static JsonObject Rule(string resource, params string[] names) => new()
        {
            ["apiGroups"] = new JsonArray(""),
            ["resources"] = new JsonArray(resource),
            ["resourceNames"] = new JsonArray(names.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["verbs"] = new JsonArray("get"),
        };
    }

    private static ManifestObject RoleBinding(ReplicationFlowDefinition f)
    {
        var n = f.Names;
        return new ManifestObject(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = Metadata(f, n.RoleBinding),
            ["subjects"] = new JsonArray(new JsonObject
            {
                ["kind"] = "ServiceAccount",
                ["name"] = n.ConnectServiceAccount,
                ["namespace"] = f.Namespace,
            }),
            ["roleRef"] = new JsonObject
            {
                ["kind"] = "Role",
                ["name"] = n.Role,
                ["apiGroup"] = "rbac.authorization.k8s.io",
            },
        });
    }

    private static ManifestObject Connector(ReplicationFlowDefinition f, string name, string role, string cls, int tasksMax, JsonObject config) =>
        new(new JsonObject
        {
            ["apiVersion"] = VersionOf(f).ApiVersion,
            ["kind"] = "KafkaConnector",
            ["metadata"] = Metadata(f, name, extraLabels: new JsonObject
            {
                ["strimzi.io/cluster"] = f.Names.ConnectCluster,
                [FlowLabels.ConnectorRole] = role,
            }),
            ["spec"] = new JsonObject
            {
                ["class"] = cls,
                ["tasksMax"] = tasksMax,
                ["config"] = config,
            },
        });

    private static JsonObject Converters() => new()
    {
        ["key.converter"] = ByteArrayConverter,
        ["value.converter"] = ByteArrayConverter,
    };

    private static void AddPolicy(ReplicationFlowDefinition f, JsonObject c)
    {
        if (f.ReplicationPolicy == ReplicationPolicy.Identity || f.HasSourceConnectorList)
            c["replication.policy.class"] = ConfigRef.ConfigMap(f.Namespace, f.Names.ReplicationConfigMap, "replication.policy.class");
    }

    /// <summary>Source cluster settings from the source ConfigMap and Secret, under the given prefix.</summary>
    internal static void AddSourceClusterSettings(ReplicationFlowDefinition f, JsonObject c, string prefix, bool includeAlias)
    {
        var n = f.Names;
        var s = f.Source;
        string Cm(string key) => ConfigRef.ConfigMap(f.Namespace, n.SourceConfigMap, key);
        string Sec(string key) => ConfigRef.Secret(f.Namespace, n.SourceSecret, key);
        if (includeAlias) c[prefix + "alias"] = Cm("alias");
        c[prefix + "bootstrap.servers"] = Cm("bootstrap.servers");
        c[prefix + "security.protocol"] = Cm("security.protocol");
        if (s.UsesSasl)
        {
            c[prefix + "sasl.mechanism"] = Cm("sasl.mechanism");
            c[prefix + "sasl.jaas.config"] = Sec("sasl.jaas.config");
        }
        if (s.UsesTls)
        {
            c[prefix + "ssl.truststore.location"] = Cm("ssl.truststore.location");
            if (s.TruststorePassword is not null) c[prefix + "ssl.truststore.password"] = Sec("ssl.truststore.password");
            if (s.TruststoreType != TruststoreType.Jks) c[prefix + "ssl.truststore.type"] = Cm("ssl.truststore.type");
        }
    }

    /// <summary>
    /// Target cluster settings: alias from the target ConfigMap; the connection from the worker properties file up to
    /// Strimzi 0.45 (the guide's way), from the flow's target ConfigMap and Secrets from 0.46 (StrimziVersion).
    /// </summary>
    private static void AddTargetClusterSettings(ReplicationFlowDefinition f, JsonObject c)
    {
        var t = f.Target;
        c["target.cluster.alias"] = ConfigRef.ConfigMap(f.Namespace, f.Names.TargetConfigMap, "alias");
        if (TargetFromFlowObjects(f))
        {
            string Cm(string key) => ConfigRef.ConfigMap(f.Namespace, f.Names.TargetConfigMap, key);
            c["target.cluster.bootstrap.servers"] = Cm("bootstrap.servers");
            c["target.cluster.security.protocol"] = Cm("security.protocol");
            if (t.UsesSasl)
            {
                c["target.cluster.sasl.mechanism"] = Cm("sasl.mechanism");
                c["target.cluster.sasl.jaas.config"] = ConfigRef.Secret(f.Namespace, f.Names.TargetPasswordSecret, "sasl.jaas.config");
            }
            if (t.UsesTls)
            {
                // PEM straight from the Secret (Kafka's ssl.truststore.certificates, KIP-651): no file to mount.
                c["target.cluster.ssl.truststore.type"] = Cm("ssl.truststore.type");
                c["target.cluster.ssl.truststore.certificates"] = ConfigRef.Secret(f.Namespace, f.Names.TargetCaSecret, "ca.crt");
            }
            return;
        }
        c["target.cluster.bootstrap.servers"] = ConfigRef.WorkerFile("bootstrap.servers");
        c["target.cluster.security.protocol"] = ConfigRef.WorkerFile("security.protocol");
        // Only keys Strimzi writes to the worker file for this security variant (KafkaConnectConfigurationBuilder).
        if (t.UsesSasl)
        {
            c["target.cluster.sasl.mechanism"] = ConfigRef.WorkerFile("sasl.mechanism");
            c["target.cluster.sasl.jaas.config"] = ConfigRef.WorkerFile("sasl.jaas.config");
        }
        if (t.UsesTls)
        {
            c["target.cluster.ssl.truststore.location"] = ConfigRef.WorkerFile("ssl.truststore.location");
            c["target.cluster.ssl.truststore.password"] = ConfigRef.WorkerFile("ssl.truststore.password");
        }
    }

    private static ManifestObject SourceConnector(ReplicationFlowDefinition f, SourceConnectorLayout s)
    {
        var c = Converters();
        c["refresh.topics.interval.seconds"] = 10;
        c["topics"] = ConfigRef.ConfigMap(f.Namespace, s.TopicsConfigMap, "topics");
        AddPolicy(f, c);
        if (f.NewPartitionStart == NewPartitionStart.Latest) c["source.consumer.auto.offset.reset"] = "latest";
        // MirrorSourceConnector supports exactly-once only when it reads committed records (apache/kafka connect/mirror/src/main/java/org/apache/kafka/connect/mirror/MirrorSourceConnector.java).
        if (f.ExactlyOnce) c["source.consumer.isolation.level"] = "read_committed";
        if (s.Definition?.CompressionType is { } compression) c["producer.override.compression.type"] = compression.ToString().ToLowerInvariant();
        if (s.Definition?.ReplicationFactor is { } rf) c["replication.factor"] = rf;
        if (s.Definition?.OffsetLagMax is { } lag) c["offset.lag.max"] = lag;
        if (!f.EmitOffsetSyncs) c["emit.offset-syncs.enabled"] = false;
        AddSourceClusterSettings(f, c, "source.cluster.", includeAlias: true);
        AddTargetClusterSettings(f, c);
        TransformChain.Write(f, s.Transforms, c);
        return Connector(f, s.ConnectorName, "source", SourceConnectorClass, s.TasksMax, c);
    }

    private static ManifestObject CheckpointConnector(ReplicationFlowDefinition f)
    {
        var c = Converters();
        c["refresh.groups.interval.seconds"] = 10;
        c["sync.group.offsets.enabled"] = true;
        if (f.EmitCheckpointsIntervalSeconds is { } e) c["emit.checkpoints.interval.seconds"] = e;
        if (f.SyncGroupOffsetsIntervalSeconds is { } s) c["sync.group.offsets.interval.seconds"] = s;
        // The checkpoint connector covers the union of the source connectors' topics (guide: ${cfmap:...first...},${cfmap:...second...}).
        c["topics"] = string.Join(",", SourceConnectorLayout.Of(f).Select(s => ConfigRef.ConfigMap(f.Namespace, s.TopicsConfigMap, "topics")));
        if (f.Groups.Count > 0) c["groups"] = string.Join(",", f.Groups);
        AddPolicy(f, c);
        AddSourceClusterSettings(f, c, "source.cluster.", includeAlias: true);
        AddTargetClusterSettings(f, c);
        return Connector(f, f.Names.CheckpointConnector, "checkpoint", CheckpointConnectorClass, f.TasksMax, c);
    }

    private static ManifestObject HeartbeatConnector(ReplicationFlowDefinition f)
    {
        // Heartbeats are produced INTO the source cluster, so its settings go under target.cluster.* and producer.override.*.
        var c = Converters();
        AddPolicy(f, c);
        c["source.cluster.alias"] = ConfigRef.ConfigMap(f.Namespace, f.Names.SourceConfigMap, "alias");
        c["target.cluster.alias"] = ConfigRef.ConfigMap(f.Namespace, f.Names.TargetConfigMap, "alias");
        AddSourceClusterSettings(f, c, "target.cluster.", includeAlias: false);
        AddSourceClusterSettings(f, c, "producer.override.", includeAlias: false);
        return Connector(f, f.Names.HeartbeatConnector, "heartbeat", HeartbeatConnectorClass, 1, c);
    }
}
