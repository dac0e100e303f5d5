namespace KafkaReplication.Engine.Model;

/// <summary>Kafka's security.protocol values (named as PowerShell users type them).</summary>
public enum SecurityProtocol { Plaintext, Ssl, SaslPlaintext, SaslSsl }

/// <summary>Kafka's sasl.mechanism values this module can configure.</summary>
public enum SaslMechanism { Plain, ScramSha256, ScramSha512 }

/// <summary>MirrorMaker 2 replication policies: Default prefixes remote topics with the source alias, Identity keeps names.</summary>
public enum ReplicationPolicy { Default, Identity }

/// <summary>How a truststore given for a cluster is encoded.</summary>
public enum TruststoreType { Pem, Jks, Pkcs12 }

public enum FindingSeverity { Information, Warning, Error }

/// <summary>What applying a manifest did, or (under -WhatIf) would do.</summary>
public enum ManifestAction { Create, Update, Unchanged, Delete }

public static class SecurityProtocolExtensions
{
    public static string ToKafka(this SecurityProtocol p) => p switch
    {
        SecurityProtocol.Plaintext => "PLAINTEXT",
        SecurityProtocol.Ssl => "SSL",
        SecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
        SecurityProtocol.SaslSsl => "SASL_SSL",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static bool UsesTls(this SecurityProtocol p) => p is SecurityProtocol.Ssl or SecurityProtocol.SaslSsl;
    public static bool UsesSasl(this SecurityProtocol p) => p is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;

    public static string ToKafka(this SaslMechanism m) => m switch
    {
        SaslMechanism.Plain => "PLAIN",
        SaslMechanism.ScramSha256 => "SCRAM-SHA-256",
        SaslMechanism.ScramSha512 => "SCRAM-SHA-512",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>Strimzi's KafkaClientAuthentication type for the mechanism.</summary>
    public static string ToStrimziAuthenticationType(this SaslMechanism m) => m switch
    {
        SaslMechanism.Plain => "plain",
        SaslMechanism.ScramSha256 => "scram-sha-256",
        SaslMechanism.ScramSha512 => "scram-sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    public static string JaasLoginModule(this SaslMechanism m) => m == SaslMechanism.Plain
        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
}
