namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// Ranges [From, To) of partitions that a read_committed scan read to To and found to hold no committed record: only
/// transaction markers and records of aborted transactions. The scan reaching To (not stopped early by an open
/// transaction) means the range lies below the last stable offset, where the log never changes (retention and
/// compaction only remove), so a later question about a range inside a remembered one has the same answer, and no
/// read is needed.
/// <para>Bounded: after each question only the ranges it used and those it found are kept (plus those another
/// question, in flight at the same time, used or found), so the memo never outgrows one question's partitions and
/// ranges nobody asks about any more go away. Each range is forgotten <c>lifetime</c> after it was read, used or not:
/// that bounds how long a topic deleted and created again under the same name can be answered from its predecessor's
/// log. Thread-safe.</para>
/// </summary>
internal sealed class MarkerOnlyRanges
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Topic, int Partition), Entry> _entries = new();
    private long _stamp;

    internal sealed class Entry(long from, long to, DateTimeOffset readAt)
    {
        public long From { get; } = from;
        public long To { get; } = to;
        public DateTimeOffset ReadAt { get; } = readAt;
        /// <summary>The end stamp of the last question that found or used it.</summary>
        public long Stamp;
    }

    /// <summary>What one question found in the memo, for <see cref="End"/>.</summary>
    internal sealed class Question(long start, Dictionary<(string Topic, int Partition), Entry> known)
    {
        public long Start { get; } = start;
        internal Dictionary<(string Topic, int Partition), Entry> Entries { get; } = known;
        /// <summary>The asked partitions answered from the memo: no record in their range.</summary>
        public IReadOnlyCollection<(string Topic, int Partition)> Known => Entries.Keys;
    }

    /// <summary>Partitions remembered now.</summary>
    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    /// <summary>Starts a question: the asked ranges that lie inside a remembered range read less than
    /// <paramref name="lifetime"/> ago (F ≤ From and To ≤ T).</summary>
    public Question Begin(IReadOnlyDictionary<(string Topic, int Partition), (long From, long To)> ranges, DateTimeOffset now, TimeSpan lifetime)
    {
        lock (_gate)
        {
            var known = new Dictionary<(string Topic, int Partition), Entry>();
            if (_entries.Count > 0)
                foreach (var (key, (from, to)) in ranges)
                    if (to > from && _entries.TryGetValue(key, out var e) && now - e.ReadAt < lifetime && e.From <= from && to <= e.To)
                        known[key] = e;
            return new Question(++_stamp, known);
        }
    }

    /// <summary>
    /// Ends a question: the memo becomes the ranges it used and the marker-only ranges it read
    /// (<paramref name="found"/>), besides those of questions that ended while it ran; expired ones are dropped.
    /// </summary>
    public void End(Question question, IEnumerable<KeyValuePair<(string Topic, int Partition), (long From, long To)>> found, DateTimeOffset now, TimeSpan lifetime)
    {
        lock (_gate)
        {
            var stamp = ++_stamp;
            foreach (var (key, used) in question.Entries)
            {
                // A question that ended meanwhile may have put a newer range there: keep that one.
                if (!_entries.TryGetValue(key, out var current)) _entries[key] = current = used;
                current.Stamp = stamp;
            }
            if (lifetime > TimeSpan.Zero)
                foreach (var (key, (from, to)) in found)
                    _entries[key] = new Entry(from, to, now) { Stamp = stamp };
            // Not used by this question nor by one that ended while it ran: nobody asks about it any more.
            List<(string, int)>? drop = null;
            foreach (var (key, e) in _entries)
                if (e.Stamp < question.Start || now - e.ReadAt >= lifetime) (drop ??= new()).Add(key);
            drop?.ForEach(k => _entries.Remove(k));
        }
    }
}
