using System.Text;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Clusters;

/// <summary>
/// Rebuilds the source cluster reference of a deployed flow from its source ConfigMap and Secret, so operating
/// cmdlets need no credentials from the user when the caller may read them (the same ones the connectors use).
/// </summary>
public static partial class SourceClusterResolver
{
    [GeneratedRegex("""username="((?:[^"\\]|\\.)*)"\s+password="((?:[^"\\]|\\.)*)"|password="((?:[^"\\]|\\.)*)"\s+username="((?:[^"\\]|\\.)*)" """)]
    private static partial Regex JaasCredentials();

    public static async Task<ReplicationClusterReference> ResolveAsync(KubeGateway kube, FlowHandle flow, CancellationToken ct)
    {
        try
        {
            return await ReadAsync(kube, flow, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            // Hand-edited objects: data that is not base64, a value that is not a string. The message names no value.
            throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "SourceConfigUnreadable",
                $"The source settings of flow '{flow.Name}' (ConfigMap and Secret {flow.Namespace}/{flow.Name}-source) cannot be read: {e.Message} Give -Source.",
                $"{flow.Name}-source");
        }
    }

    private static async Task<ReplicationClusterReference> ReadAsync(KubeGateway kube, FlowHandle flow, CancellationToken ct)
    {
        var name = $"{flow.Name}-source";
        var cm = await kube.GetAsync("v1", Kinds.ConfigMap, flow.Namespace, name, ct).ConfigureAwait(false)
            ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "SourceConfigMissing",
                $"ConfigMap {flow.Namespace}/{name} (the flow's source settings) does not exist; give -Source.", name);
        var data = cm["data"];
        var protocol = (string?)data?["security.protocol"] ?? "PLAINTEXT";
        var p = protocol switch
        {
            "SSL" => SecurityProtocol.Ssl,
            "SASL_PLAINTEXT" => SecurityProtocol.SaslPlaintext,
            "SASL_SSL" => SecurityProtocol.SaslSsl,
            _ => SecurityProtocol.Plaintext,
        };
        string? user = null;
        SecretValue? password = null;
        byte[]? trust = null;
        TruststoreType? trustType = null;
        SaslMechanism? mechanism = (string?)data?["sasl.mechanism"] switch
        {
            "PLAIN" => SaslMechanism.Plain,
            "SCRAM-SHA-256" => SaslMechanism.ScramSha256,
            "SCRAM-SHA-512" => SaslMechanism.ScramSha512,
            _ => null,
        };
        if (p.UsesSasl() || p.UsesTls())
        {
            var secret = await kube.GetAsync("v1", Kinds.Secret, flow.Namespace, name, ct).ConfigureAwait(false)
                ?? throw new ReplicationException(ReplicationErrorKind.NotFound, "SourceConfigMissing",
                    $"Secret {flow.Namespace}/{name} (the flow's source credentials) does not exist or cannot be read; give -Source.", name);
            string? Value(string key) => secret["data"]?[key] is { } v ? Encoding.UTF8.GetString(Convert.FromBase64String((string)v!)) : null;
            if (p.UsesSasl())
            {
                var m = JaasCredentials().Match(Value("sasl.jaas.config") ?? "");
                if (!m.Success)
                    throw new ReplicationException(ReplicationErrorKind.PreconditionFailed, "SourceCredentialUnreadable",
                        $"The JAAS config in Secret {flow.Namespace}/{name} has no username/password pair; give -Source.", name);
                user = Unescape(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[4].Value);
                password = new SecretValue(Unescape(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value)) { Origin = $"secret:{flow.Namespace}/{name}" };
            }
            if (p.UsesTls())
            {
                var pem = Value("ca.crt");
                if (pem is not null) { trust = Encoding.UTF8.GetBytes(pem); trustType = TruststoreType.Pem; }
                else if (secret["data"]?["truststore.jks"] is { } jks) { trust = Convert.FromBase64String((string)jks!); trustType = TruststoreType.Jks; }
                else if (secret["data"]?["truststore.p12"] is { } p12) { trust = Convert.FromBase64String((string)p12!); trustType = TruststoreType.Pkcs12; }
            }
        }
        return new ReplicationClusterReference
        {
            Alias = (string?)data?["alias"] ?? flow.SourceAlias,
            BootstrapServers = (string?)data?["bootstrap.servers"] ?? throw new ReplicationException(ReplicationErrorKind.PreconditionFailed,
                "SourceConfigMissing", $"ConfigMap {flow.Namespace}/{name} has no bootstrap.servers; give -Source.", name),
            SecurityProtocol = p,
            SaslMechanism = mechanism,
            UserName = user,
            Password = password,
            TruststoreType = trustType,
            TrustMaterial = trust,
        };
    }

    private static string Unescape(string s) => Regex.Replace(s, @"\\(.)", "$1");
}
