using System.Security.Cryptography;
using System.Text;

namespace KafkaReplication.Engine.Session;

/// <summary>
/// Clients kept between cmdlet invocations of one process (a PowerShell session): Kafka admin clients and Kubernetes
/// clients, each under a key made of everything it was built from (a SHA-256 hash, so the key holds no secret). A
/// session takes one out for the length of an invocation and gives it back only when the invocation ended without an
/// error or a stop and the client is still sound; a client idle for <see cref="IdleTimeout"/> is disposed, and so is
/// every idle client when the module is removed (<see cref="Clear"/>). What it saves per call (a new librdkafka client
/// and its broker connections, the kubeconfig parse and the API server's TLS handshake) is measured in docs/performance.md.
/// </summary>
public sealed class ClientPool
{
    /// <summary>The environment variable that sets the idle time in seconds (0 turns reuse off).</summary>
    public const string IdleSecondsVariable = "KAFKAREPLICATION_CLIENT_IDLE_SECONDS";

    /// <summary>Most clients kept idle at once (a script that visits many clusters does not pile up clients).</summary>
    public const int MaxIdle = 16;

    private readonly object _gate = new();
    private readonly List<Entry> _idle = new();
    private Timer? _sweeper;
    private TimeSpan _idleTimeout = DefaultIdleTimeout();

    /// <summary>The pool of the process.</summary>
    public static ClientPool Shared { get; } = new();

    /// <summary>How long an unused client is kept; zero keeps none (every invocation opens its own).</summary>
    public TimeSpan IdleTimeout
    {
        get { lock (_gate) return _idleTimeout; }
        set
        {
            if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value));
            lock (_gate) _idleTimeout = value;
            Sweep();
        }
    }

    /// <summary>Clients kept idle now.</summary>
    public int IdleCount
    {
        get { lock (_gate) return _idle.Count; }
    }

    /// <summary>An idle client under the key (the most recently used), taken out of the pool; null when there is none.</summary>
    internal Entry? Take(string key)
    {
        lock (_gate)
        {
            for (var i = _idle.Count - 1; i >= 0; i--)
            {
                if (_idle[i].Key != key) continue;
                var entry = _idle[i];
                _idle.RemoveAt(i);
                return entry;
            }
        }
        return null;
    }

    /// <summary>Keeps the client for the next invocation, or disposes it when reuse is off or it is not sound.</summary>
    internal void Return(Entry entry)
    {
        if (entry.IsReusable())
        {
            entry.Log.Target = NullOperationLog.Instance;
            lock (_gate)
            {
                if (_idleTimeout > TimeSpan.Zero)
                {
                    entry.IdleSince = Environment.TickCount64;
                    _idle.Add(entry);
                    // Each idle Kafka client keeps a few librdkafka threads: keep the most recently used only.
                    if (_idle.Count > MaxIdle)
                    {
                        Close(_idle[0]);
                        _idle.RemoveAt(0);
                    }
                    _sweeper ??= new Timer(_ => Sweep(), null, Period(_idleTimeout), Period(_idleTimeout));
                    return;
                }
            }
        }
        Close(entry);
    }

    /// <summary>Disposes every idle client (the module is being removed, or a test wants a clean slate).</summary>
    public void Clear()
    {
        List<Entry> closing;
        lock (_gate)
        {
            closing = new List<Entry>(_idle);
            _idle.Clear();
            _sweeper?.Dispose();
            _sweeper = null;
        }
        closing.ForEach(Close);
    }

    private void Sweep()
    {
        List<Entry> expired;
        lock (_gate)
        {
            var now = Environment.TickCount64;
            expired = _idle.Where(e => now - e.IdleSince >= (long)_idleTimeout.TotalMilliseconds).ToList();
            _idle.RemoveAll(expired.Contains);
            if (_idle.Count == 0)
            {
                _sweeper?.Dispose();
                _sweeper = null;
            }
        }
        expired.ForEach(Close);
    }

    private static void Close(Entry entry)
    {
        try { entry.Client.Dispose(); }
        catch (Exception) { /* closing an idle client: nobody to tell */ }
    }

    private static TimeSpan Period(TimeSpan idle) => TimeSpan.FromMilliseconds(Math.Clamp(idle.TotalMilliseconds / 4, 50, 15_000));

    private static TimeSpan DefaultIdleTimeout()
    {
        var text = Environment.GetEnvironmentVariable(IdleSecondsVariable);
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s >= 0
            ? TimeSpan.FromSeconds(Math.Min(s, 3600))
            : TimeSpan.FromSeconds(60);
    }

    /// <summary>A key for the pool from the parts a client was built from; the parts may hold secrets, the key does not.</summary>
    internal static string Key(string kind, IEnumerable<string> parts)
    {
        var text = new StringBuilder(kind);
        foreach (var p in parts) text.Append('\n').Append(p.Replace("\\", "\\\\").Replace("\n", "\\n"));
        return kind + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A pooled client, its log (pointed at the invocation that holds it) and whether it may be kept.</summary>
    internal sealed class Entry(string key, IDisposable client, SwitchableLog log, Func<bool> isReusable)
    {
        public string Key { get; } = key;
        public IDisposable Client { get; } = client;
        public SwitchableLog Log { get; } = log;
        public Func<bool> IsReusable { get; } = isReusable;
        public long IdleSince { get; set; }
    }
}

/// <summary>A log whose target changes: a pooled client reports to the invocation that holds it, and to nobody while idle.</summary>
internal sealed class SwitchableLog(IOperationLog target) : IOperationLog
{
    public IOperationLog Target { get; set; } = target;
    public void Verbose(string message) => Target.Verbose(message);
    public void Warning(string message) => Target.Warning(message);
    public void Progress(int activityId, string activity, string status, int percent, bool completed = false) =>
        Target.Progress(activityId, activity, status, percent, completed);
}
