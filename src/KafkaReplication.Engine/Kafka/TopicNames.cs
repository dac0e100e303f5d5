using System.Text.RegularExpressions;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

/// <summary>Topic names as MirrorMaker 2 sees them: `topics` entries (regexes) and the names a replication policy gives on the target.</summary>
public static class TopicNames
{
    /// <summary>
    /// The entries as topic names when every one is a plain name (a dot is the usual separator in topic names; any
    /// other regex character means a pattern); none when any entry is a pattern.
    /// </summary>
    public static IReadOnlyList<string> LiteralsOrNone(IEnumerable<string> entries)
    {
        var list = entries.ToList();
        return list.All(t => !Regex.IsMatch(t, @"[\\^$|?*+()\[\]{}]")) ? list.Distinct().ToList() : Array.Empty<string>();
    }

    /// <summary>
    /// The source `topics` regexes turned into regexes of the target topics: DefaultReplicationPolicy prefixes the source
    /// alias and a dot (DefaultReplicationPolicy.formatRemoteTopic in apache/kafka connect/mirror-client); Identity keeps them.
    /// </summary>
    public static IReadOnlyList<string> TargetRegexes(IReadOnlyList<string> sourceRegexes, ReplicationPolicy policy, string sourceAlias) =>
        policy == ReplicationPolicy.Default
            ? sourceRegexes.Select(r => Regex.Escape(sourceAlias + ".") + "(?:" + r + ")").ToList()
            : sourceRegexes;
}
