using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KafkaReplication.TestBed.Kafka;

/// <summary>
/// librdkafka's mock-cluster API (rdkafka_mock.h), bound to the very library file Confluent.Kafka loaded. On Debian 12
/// librdkafka.so cannot load (libsasl2.so.3 is missing) and Confluent falls back to centos8-librdkafka.so; a plain
/// [DllImport("librdkafka")] would bind to another file or fail, so the path is taken from the process's loaded modules.
/// </summary>
internal sealed class MockClusterNative
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr HandleMockCluster(IntPtr rk);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr ClusterBootstraps(IntPtr mcluster);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void SetInt(IntPtr mcluster, int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int TopicCreate(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int DeleteRecords(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition, long beforeOffset);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int BrokerSetRtt(IntPtr mcluster, int brokerId, int rttMs);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int BrokerSet(IntPtr mcluster, int brokerId);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void ClusterAction(IntPtr mcluster);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr GetRequests(IntPtr mcluster, out UIntPtr count);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate short RequestApiKey(IntPtr request);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int RequestBrokerId(IntPtr request);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void DestroyRequests(IntPtr requests, UIntPtr count);

    private MockClusterNative(string path, IntPtr lib)
    {
        LibraryPath = path;
        T Get<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(lib, name));
        HandleMockClusterOf = Get<HandleMockCluster>("rd_kafka_handle_mock_cluster");
        Bootstraps = Get<ClusterBootstraps>("rd_kafka_mock_cluster_bootstraps");
        SetControllerId = Get<SetInt>("rd_kafka_mock_set_controller_id");
        SetInitialRebalanceDelayMs = Get<SetInt>("rd_kafka_mock_group_initial_rebalance_delay_ms");
        CreateTopic = Get<TopicCreate>("rd_kafka_mock_topic_create");
        DeleteRecordsBefore = Get<DeleteRecords>("rd_kafka_mock_partition_delete_records");
        SetRtt = Get<BrokerSetRtt>("rd_kafka_mock_broker_set_rtt");
        SetDown = Get<BrokerSet>("rd_kafka_mock_broker_set_down");
        SetUp = Get<BrokerSet>("rd_kafka_mock_broker_set_up");
        StartTracking = Get<ClusterAction>("rd_kafka_mock_start_request_tracking");
        StopTracking = Get<ClusterAction>("rd_kafka_mock_stop_request_tracking");
        ClearRequests = Get<ClusterAction>("rd_kafka_mock_clear_requests");
        Requests = Get<GetRequests>("rd_kafka_mock_get_requests");
        ApiKeyOf = Get<RequestApiKey>("rd_kafka_mock_request_api_key");
        BrokerIdOf = Get<RequestBrokerId>("rd_kafka_mock_request_id");
        DestroyRequestArray = Get<DestroyRequests>("rd_kafka_mock_request_destroy_array");
    }

    public string LibraryPath { get; }
    public HandleMockCluster HandleMockClusterOf { get; }
    public ClusterBootstraps Bootstraps { get; }
    public SetInt SetControllerId { get; }
    public SetInt SetInitialRebalanceDelayMs { get; }
    public TopicCreate CreateTopic { get; }
    public DeleteRecords DeleteRecordsBefore { get; }
    public BrokerSetRtt SetRtt { get; }
    public BrokerSet SetDown { get; }
    public BrokerSet SetUp { get; }
    public ClusterAction StartTracking { get; }
    public ClusterAction StopTracking { get; }
    public ClusterAction ClearRequests { get; }
    public GetRequests Requests { get; }
    public RequestApiKey ApiKeyOf { get; }
    public RequestBrokerId BrokerIdOf { get; }
    public DestroyRequests DestroyRequestArray { get; }

    private static readonly Lazy<MockClusterNative> Instance = new(() =>
    {
        var path = LoadedLibrdkafkaPath() ?? throw new InvalidOperationException(
            "librdkafka is not loaded in this process: create a Confluent.Kafka client before binding the mock API.");
        return new MockClusterNative(path, NativeLibrary.Load(path));
    });

    /// <summary>The binding; call it only once a Confluent.Kafka client exists (that is what loads librdkafka).</summary>
    public static MockClusterNative Get() => Instance.Value;

    // Process.Modules reads /proc/self/maps on Linux: the file actually mapped, whichever candidate Confluent settled on.
    private static string? LoadedLibrdkafkaPath()
    {
        using var self = Process.GetCurrentProcess();
        return self.Modules.Cast<ProcessModule>()
            .Select(m => m.FileName)
            .FirstOrDefault(f => Path.GetFileName(f).Contains("librdkafka", StringComparison.OrdinalIgnoreCase));
    }
}
