namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// What record scans of partitions found, kept for the next question about the same partitions (issue #11: a warm
/// Get-ReplicationState must not read thousands of partitions again when nothing changed). Two facts, each of which
/// stays true while the log keeps the offsets concerned:
/// <list type="bullet">
/// <item>a range [From, To) read to To without a committed record holds only transaction markers and records of
/// aborted transactions: the scan reached To, so the range lies below the last stable offset, where the log never
/// changes (retention and compaction only remove). A later range inside it has no record either.</item>
/// <item>a committed record was read at offset R: a later range [From, To) with From ≤ R &lt; To has a record. The
/// caller passes From no lower than the partition's start offset, so a record that retention deleted (R below the
/// start) is never used; compaction of a segment that is no longer the active one could remove R, and the partition
/// would show a lag of a few offsets where only markers are left, until the entry ends.</item>
/// </list>
/// <para>Bounded: one entry per partition (a newer fact replaces the older one), and each entry is forgotten
/// <c>lifetime</c> after it was read, used or not: that bounds how long a topic deleted and created again under the same
/// name can be answered from its predecessor's log. Entries of partitions a question did not ask about are kept (several
/// flows of one source cluster share the Kafka client, and so the memo), so it holds at most the partitions asked about
/// within the lifetime. Thread-safe.</para>
/// </summary>
internal sealed class ScanMemo
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Topic, int Partition), Entry> _entries = new();

    /// <summary>A marker-only range [From, To), or (Record set) a committed record at that offset.</summary>
    internal sealed class Entry(long from, long to, long? record, DateTimeOffset readAt)
    {
        public long From { get; } = from;
        public long To { get; } = to;
        public long? Record { get; } = record;
        public DateTimeOffset ReadAt { get; } = readAt;

        public bool Answers(long from, long to) => Record is { } r ? from <= r && r < to : From <= from && to <= To;
    }

    /// <summary>What one question found in the memo.</summary>
    internal sealed class Question(Dictionary<(string Topic, int Partition), Entry> known)
    {
        internal Dictionary<(string Topic, int Partition), Entry> Entries { get; } = known;
        /// <summary>The asked partitions answered from the memo: a record in their range.</summary>
        public IReadOnlyCollection<(string Topic, int Partition)> KnownWithRecords => Entries.Where(e => e.Value.Record is not null).Select(e => e.Key).ToList();
    }

    /// <summary>Partitions remembered now.</summary>
    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    /// <summary>The asked ranges an entry read less than <paramref name="lifetime"/> ago answers.</summary>
    public Question Answer(IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, DateTimeOffset now, TimeSpan lifetime)
    {
        lock (_gate)
        {
            var known = new Dictionary<(string Topic, int Partition), Entry>();
            if (_entries.Count > 0)
                foreach (var (key, (from, to)) in ranges)
                    if (to > from && _entries.TryGetValue(key, out var e) && now - e.ReadAt < lifetime && e.Answers(from, to))
                        known[key] = e;
            return new Question(known);
        }
    }

    /// <summary>
    /// Remembers what a question read: the marker-only ranges (<paramref name="markerOnly"/>) and the records
    /// (<paramref name="records"/>), each replacing what was remembered of its partition; drops expired entries.
    /// </summary>
    public void Remember(IEnumerable<KeyValuePair<(string Topic, int Partition), (long From, long To)>> markerOnly,
        DateTimeOffset now, TimeSpan lifetime, IEnumerable<KeyValuePair<(string Topic, int Partition), long>>? records = null)
    {
        lock (_gate)
        {
            if (lifetime > TimeSpan.Zero)
            {
                foreach (var (key, (from, to)) in markerOnly) _entries[key] = new Entry(from, to, null, now);
                foreach (var (key, offset) in records ?? []) _entries[key] = new Entry(offset, offset + 1, offset, now);
            }
            List<(string, int)>? drop = null;
            foreach (var (key, e) in _entries)
                if (now - e.ReadAt >= lifetime) (drop ??= new()).Add(key);
            drop?.ForEach(k => _entries.Remove(k));
        }
    }
}
