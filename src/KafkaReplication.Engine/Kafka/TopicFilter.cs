using System.Text.RegularExpressions;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Kafka;

/// <summary>
/// MirrorMaker 2's topic selection: each entry of <c>topics</c> is a Java regex matched against the whole topic name
/// (DefaultTopicFilter joins them with '|' and calls matches()), minus what MirrorMaker never replicates: the default
/// <c>topics.exclude</c> (.*[\-\.]internal, .*\.replica, __.*) and Kafka's internal topics (names starting with "__" or ".").
/// </summary>
internal sealed class TopicFilter
{
    private static readonly Regex Excluded = new(@"^(?:.*[\-\.]internal|.*\.replica|__.*|\..*)$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private readonly Regex _included;

    private TopicFilter(Regex included) => _included = included;

    public static TopicFilter Create(IEnumerable<string> topicRegexes)
    {
        var list = topicRegexes.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        if (list.Count == 0)
            throw ReplicationException.Invalid("TopicRegexRequired", "Give at least one topic name or regex.");
        foreach (var r in list)
        {
            try { _ = new Regex(r, RegexOptions.CultureInvariant); }
            catch (ArgumentException e)
            {
                throw ReplicationException.Invalid("InvalidTopicRegex", $"'{r}' is not a valid regular expression: {e.Message}", r);
            }
        }
        // Each alternative in its own group, anchored as a whole: "orders" must not select "orders-eu".
        var pattern = "^(?:" + string.Join("|", list.Select(r => "(?:" + r + ")")) + ")$";
        return new TopicFilter(new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
    }

    public static bool IsExcludedByMirrorMaker(string topic) => Excluded.IsMatch(topic);

    public bool Selects(string topic)
    {
        try
        {
            return !IsExcludedByMirrorMaker(topic) && _included.IsMatch(topic);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pattern that backtracks without end (e.g. "(a+)+b") would hold the call: refused, as Java would hang.
            throw ReplicationException.Invalid("TopicRegexTooSlow",
                $"The topic patterns take longer than 1 s to match '{topic}'; simplify them (nested repetitions such as (a+)+ backtrack without end).", topic);
        }
    }
}
