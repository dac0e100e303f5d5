using System.Text;
using System.Text.Json.Nodes;
using KafkaReplication.TestBed.Kubernetes;
using static KafkaReplication.TestBed.Strimzi.StrimziNames;

namespace KafkaReplication.TestBed.Strimzi;

/// <summary>
/// /tmp/strimzi-connect.properties as a Connect pod of the emulated release sees it, after
/// cluster-operator/.../model/KafkaConnectConfigurationBuilder.java (and its test, KafkaConnectConfigurationBuilderTest):
/// up to 0.45 the truststore password and the JAAS password are real values; 0.46 writes
/// <c>${strimzienv:CERTS_STORE_PASSWORD}</c> and a <c>${strimzidir:/opt/kafka/connect-password/&lt;secret&gt;:&lt;key&gt;}</c>
/// password; from 0.47 the truststore is PEM (<c>ssl.truststore.certificates=${strimzisecrets:...}</c>) and
/// ssl.truststore.location/password are not written.
/// </summary>
internal static class WorkerFile
{
    public const string Path = "/tmp/strimzi-connect.properties";

    public static Dictionary<string, string> For(KubernetesEmulator k8s, JsonObject kafkaConnect, StrimziVersion version)
    {
        var ns = Str(kafkaConnect, "metadata", "namespace")!;
        var name = Str(kafkaConnect, "metadata", "name")!;
        var spec = kafkaConnect["spec"] as JsonObject ?? [];
        var file = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = Str(spec, "bootstrapServers") ?? "",
        };
        var tls = spec["tls"]?["trustedCertificates"] is JsonArray { Count: > 0 };
        var auth = Str(spec, "authentication", "type");
        var sasl = auth is "plain" or "scram-sha-256" or "scram-sha-512";
        file["security.protocol"] = (tls, sasl) switch
        {
            (true, true) => "SASL_SSL",
            (true, false) => "SSL",
            (false, true) => "SASL_PLAINTEXT",
            _ => "PLAINTEXT",
        };
        if (tls)
        {
            if (version >= StrimziVersion.V0_47)
            {
                file["ssl.truststore.certificates"] = $"${{strimzisecrets:{ns}/{name}-connect-tls-trusted-certs:*.crt}}";
                file["ssl.truststore.type"] = "PEM";
            }
            else
            {
                file["ssl.truststore.location"] = "/tmp/kafka/cluster.truststore.p12";
                file["ssl.truststore.password"] = version >= StrimziVersion.V0_46 ? "${strimzienv:CERTS_STORE_PASSWORD}" : "emulated-store-password";
                file["ssl.truststore.type"] = "PKCS12";
            }
        }

        if (sasl)
        {
            var user = Str(spec, "authentication", "username") ?? "";
            var secret = Str(spec, "authentication", "passwordSecret", "secretName") ?? "";
            var key = Str(spec, "authentication", "passwordSecret", "password") ?? "";
            var module = auth == "plain" ? "org.apache.kafka.common.security.plain.PlainLoginModule" : "org.apache.kafka.common.security.scram.ScramLoginModule";
            file["sasl.mechanism"] = auth == "plain" ? "PLAIN" : auth!.ToUpperInvariant();
            file["sasl.jaas.config"] = version >= StrimziVersion.V0_46
                ? $"{module} required username=${{strimzienv:KAFKA_CONNECT_SASL_USERNAME}} password=${{strimzidir:/opt/kafka/connect-password/{secret}:{key}}};"
                : $"{module} required username=\"{user}\" password=\"{SecretValue(k8s, ns, secret, key) ?? ""}\";";
        }

        return file;
    }

    internal static string? SecretValue(KubernetesEmulator k8s, string ns, string secret, string key) =>
        k8s.Get("v1", "Secret", ns, secret)?["data"]?[key]?.ToString() is { } b64
            ? Encoding.UTF8.GetString(Convert.FromBase64String(b64))
            : null;
}
