using System.Text.RegularExpressions;

namespace KafkaReplication.Engine.Model;

/// <summary>Builds <see cref="ReplicationClusterReference"/> objects and refuses incomplete or contradictory input.</summary>
public static partial class ClusterReferenceFactory
{
    // Aliases end up in topic names (<alias>.<topic>, <alias>.checkpoints.internal): Kafka topic characters only,
    // and no '.' because DefaultReplicationPolicy splits remote topic names on the first separator.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")]
    private static partial Regex HostPortPattern();

    public sealed record Input
    {
        public required string Alias { get; init; }
        public required string BootstrapServers { get; init; }
        public SecurityProtocol SecurityProtocol { get; init; }
        public SaslMechanism? SaslMechanism { get; init; }
        public string? UserName { get; init; }
        public SecretValue? Password { get; init; }
        public string? CaCertificatePath { get; init; }
        public string? TruststorePath { get; init; }
        public SecretValue? TruststorePassword { get; init; }
    }

    public static ReplicationClusterReference Create(Input input)
    {
        ValidateAlias(input.Alias);
        ValidateBootstrap(input.BootstrapServers, input.Alias);
        var p = input.SecurityProtocol;

        if (p.UsesSasl())
        {
            if (input.SaslMechanism is null)
                throw ReplicationException.Invalid("SaslMechanismRequired",
                    $"Cluster '{input.Alias}' uses {p.ToKafka()}: give -SaslMechanism (Plain, ScramSha256 or ScramSha512).", input.Alias);
            if (string.IsNullOrEmpty(input.UserName) || input.Password is null || input.Password.Length == 0)
                throw ReplicationException.Invalid("CredentialRequired",
                    $"Cluster '{input.Alias}' uses {p.ToKafka()}: give -Credential with the SASL user name and password.", input.Alias);
            // The JAAS line quotes both values, and a quoted JAAS string ends at a line end: a CR or LF would cut it
            // (and let the rest be read as more JAAS options). The value itself is never named.
            if (input.UserName.AsSpan().IndexOfAny('\r', '\n') >= 0 || input.Password.Reveal().AsSpan().IndexOfAny('\r', '\n') >= 0)
                throw ReplicationException.Invalid("CredentialHasLineBreak",
                    $"Cluster '{input.Alias}': the SASL user name or password contains a line break (CR or LF), which the JAAS configuration cannot carry.", input.Alias);
        }
        else
        {
            if (input.SaslMechanism is not null)
                throw ReplicationException.Invalid("SaslMechanismUnused",
                    $"Cluster '{input.Alias}' uses {p.ToKafka()}, which has no SASL: remove -SaslMechanism or choose SaslPlaintext/SaslSsl.", input.Alias);
            if (input.Password is not null)
                throw ReplicationException.Invalid("CredentialUnused",
                    $"Cluster '{input.Alias}' uses {p.ToKafka()}, which has no SASL: a credential would never be used. Remove -Credential or choose SaslPlaintext/SaslSsl.", input.Alias);
        }

        byte[]? material = null;
        TruststoreType? type = null;
        if (p.UsesTls())
        {
            if (input.CaCertificatePath is not null && input.TruststorePath is not null)
                throw ReplicationException.Invalid("TrustSourceAmbiguous",
                    $"Cluster '{input.Alias}': give either -CaCertificatePath or -TruststorePath, not both.", input.Alias);
            if (input.CaCertificatePath is { } ca)
            {
                material = ReadFile(ca, input.Alias, "CaCertificateNotFound");
                type = DetectType(material);
                if (type != TruststoreType.Pem)
                    throw ReplicationException.Invalid("CaCertificateNotPem",
                        $"Cluster '{input.Alias}': '{ca}' is not a PEM certificate (expected '-----BEGIN CERTIFICATE-----'). For a JKS or PKCS12 file use -TruststorePath.", ca);
                if (input.TruststorePassword is not null)
                    throw ReplicationException.Invalid("TruststorePasswordUnused",
                        $"Cluster '{input.Alias}': a PEM CA certificate has no password; remove -TruststorePassword.", input.Alias);
            }
            else if (input.TruststorePath is { } ts)
            {
                material = ReadFile(ts, input.Alias, "TruststoreNotFound");
                type = DetectType(material) ?? throw ReplicationException.Invalid("TruststoreUnreadable",
                    $"Cluster '{input.Alias}': '{ts}' is neither a JKS, a PKCS12 nor a PEM truststore.", ts);
                if (type != TruststoreType.Pem && (input.TruststorePassword is null || input.TruststorePassword.Length == 0))
                    throw ReplicationException.Invalid("TruststorePasswordRequired",
                        $"Cluster '{input.Alias}': the {type} truststore '{ts}' needs -TruststorePassword.", input.Alias);
                if (type == TruststoreType.Pem && input.TruststorePassword is not null)
                    throw ReplicationException.Invalid("TruststorePasswordUnused",
                        $"Cluster '{input.Alias}': '{ts}' is PEM, which Kafka loads without a password; remove -TruststorePassword.", input.Alias);
            }
            else
            {
                throw ReplicationException.Invalid("TrustMaterialRequired",
                    $"Cluster '{input.Alias}' uses {p.ToKafka()}: give -CaCertificatePath (PEM) or -TruststorePath with -TruststorePassword.", input.Alias);
            }
        }
        else if (input.CaCertificatePath is not null || input.TruststorePath is not null || input.TruststorePassword is not null)
        {
            throw ReplicationException.Invalid("TrustMaterialUnused",
                $"Cluster '{input.Alias}' uses {p.ToKafka()}, which has no TLS: remove the CA certificate or truststore, or choose Ssl/SaslSsl.", input.Alias);
        }

        return new ReplicationClusterReference
        {
            Alias = input.Alias,
            BootstrapServers = input.BootstrapServers.Trim(),
            SecurityProtocol = p,
            SaslMechanism = input.SaslMechanism,
            UserName = input.UserName,
            Password = input.Password,
            CaCertificatePath = input.CaCertificatePath is null ? null : Path.GetFullPath(input.CaCertificatePath),
            TruststorePath = input.TruststorePath is null ? null : Path.GetFullPath(input.TruststorePath),
            TruststoreType = type,
            TruststorePassword = input.TruststorePassword,
            TrustMaterial = material,
        };
    }

    public static void ValidateAlias(string alias)
    {
        if (string.IsNullOrWhiteSpace(alias) || !AliasPattern().IsMatch(alias))
            throw ReplicationException.Invalid("InvalidAlias",
                $"Alias '{alias}' is not valid: use 1-100 letters, digits, '_' or '-' (no '.', which MirrorMaker 2 uses as the topic prefix separator).", alias);
    }

    public static void ValidateBootstrap(string bootstrap, string alias)
    {
        var parts = (bootstrap ?? "").Split(',', StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            var m = HostPortPattern().Match(part);
            if (!m.Success || !int.TryParse(m.Groups[2].Value, out var port) || port is < 1 or > 65535)
                throw ReplicationException.Invalid("InvalidBootstrapServers",
                    $"Cluster '{alias}': bootstrap server '{part}' is not host:port (port 1-65535). Separate several with commas.", bootstrap);
        }
    }

    private static byte[] ReadFile(string path, string alias, string errorId)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var notFound = e is FileNotFoundException or DirectoryNotFoundException;
            throw new ReplicationException(notFound ? ReplicationErrorKind.NotFound : ReplicationErrorKind.InvalidArgument,
                notFound ? errorId : "TrustFileUnreadable",
                $"Cluster '{alias}': cannot read '{path}': {e.Message}", path, e);
        }
    }

    /// <summary>Recognises JKS (magic 0xFEEDFEED), PKCS12 (a DER SEQUENCE) and PEM certificates.</summary>
    internal static TruststoreType? DetectType(byte[] bytes)
    {
        if (bytes.Length >= 4 && bytes[0] == 0xFE && bytes[1] == 0xED && bytes[2] == 0xFE && bytes[3] == 0xED) return Model.TruststoreType.Jks;
        var head = System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        if (head.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) return Model.TruststoreType.Pem;
        if (bytes.Length > 4 && bytes[0] == 0x30 && (bytes[1] & 0x80) != 0) return Model.TruststoreType.Pkcs12;
        return null;
    }
}
