namespace KafkaReplication.TestBed.Kafka;

/// <summary>One request a mock broker received (request tracking), by Kafka API key and receiving broker.</summary>
public readonly record struct MockRequest(short ApiKey, int BrokerId);

/// <summary>Kafka protocol API keys the tests count.</summary>
public static class KafkaApiKeys
{
    public const short Produce = 0;
    public const short ListOffsets = 2;
    public const short Metadata = 3;
    public const short OffsetCommit = 8;
    public const short OffsetFetch = 9;
    public const short ApiVersions = 18;
}
