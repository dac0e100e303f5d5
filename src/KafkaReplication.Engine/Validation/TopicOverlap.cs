using System.Text;
using System.Text.RegularExpressions;

namespace KafkaReplication.Engine.Validation;

/// <summary>
/// Finds a topic name that two MirrorMaker topic filters both replicate. MirrorMaker matches a topic against the
/// whole pattern (Java's Matcher.matches), so a collision is proved by a witness: a name both patterns match in full.
/// Witnesses are drawn from known topic names, from each pattern's literal spelling, and from strings generated from
/// each pattern with its wildcards filled by pieces of the other pattern (so "orders.*" and ".*\.eu" meet in
/// "orders.eu"). Every reported overlap has a witness, so there are no false alarms; exotic regexes (look-arounds,
/// back-references) can hide an overlap, which is why known topic names can be given.
/// </summary>
public static class TopicOverlap
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);
    private const int MaxSamples = 400;

    /// <summary>A topic name both patterns match in full, or null when none was found.</summary>
    public static string? Witness(string a, string b, IEnumerable<string>? knownTopics = null)
    {
        var ra = Compile(a);
        var rb = Compile(b);
        if (ra is null || rb is null) return null;
        var candidates = (knownTopics ?? Array.Empty<string>())
            .Concat(Samples(a, Fragments(b)))
            .Concat(Samples(b, Fragments(a)));
        foreach (var c in candidates)
            if (Matches(ra, c) && Matches(rb, c)) return c;
        return null;
    }

    /// <summary>True when the topic is replicated by a filter of these patterns (full match of any).</summary>
    public static bool MatchesAny(IEnumerable<string> patterns, string topic) =>
        patterns.Select(Compile).Any(r => r is not null && Matches(r, topic));

    internal static Regex? Compile(string pattern)
    {
        try { return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, Timeout); }
        catch (ArgumentException) { return null; }
    }

    private static bool Matches(Regex r, string s)
    {
        try { return r.IsMatch(s); }
        catch (RegexMatchTimeoutException) { return false; }
    }

    /// <summary>Literal runs of a pattern ("orders", ".eu"), used to fill the other pattern's wildcards.</summary>
    internal static IReadOnlyList<string> Fragments(string pattern)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        void Flush() { if (current.Length > 0) result.Add(current.ToString()); current.Clear(); }
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            if (ch == '\\' && i + 1 < pattern.Length && !char.IsLetterOrDigit(pattern[i + 1])) { current.Append(pattern[++i]); continue; }
            if (char.IsLetterOrDigit(ch) || ch is '-' or '_') { current.Append(ch); continue; }
            Flush();
        }
        Flush();
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Strings the pattern can match, with wildcards filled from the fragments and a few plain characters.</summary>
    internal static IEnumerable<string> Samples(string pattern, IReadOnlyList<string> fragments)
    {
        Node? tree;
        try { tree = new Parser(pattern).Parse(); }
        catch (FormatException) { yield break; }
        var fills = new List<string> { "", "a", "0", "x.y" };
        fills.AddRange(fragments);
        // Pairs of fragments fill a wildcard that must span both ("a.*b" against "a-x-b").
        fills.AddRange(fragments.SelectMany(x => fragments.Where(y => y != x).Select(y => x + y)).Take(30));
        var chars = new List<char> { 'a', '0', '.', '-', '_' };
        chars.AddRange(fragments.SelectMany(f => f).Distinct().Take(20));
        foreach (var s in tree.Generate(new Context(fills.Distinct().ToList(), chars.Distinct().ToList())).Distinct().Take(MaxSamples))
            yield return s;
    }

    private sealed record Context(IReadOnlyList<string> Fills, IReadOnlyList<char> Chars);

    private abstract class Node
    {
        public abstract IEnumerable<string> Generate(Context c);
    }

    private sealed class Literal(char ch) : Node
    {
        public override IEnumerable<string> Generate(Context c) => new[] { ch.ToString() };
    }

    /// <summary>Any character, a class or a shorthand: the characters it allows among the candidates.</summary>
    private sealed class CharSet(Func<char, bool> allows, IReadOnlyList<char> listed) : Node
    {
        public override IEnumerable<string> Generate(Context c) =>
            listed.Concat(c.Chars).Where(allows).Distinct().Take(8).Select(ch => ch.ToString());
        public bool Allows(string s) => s.All(allows);
    }

    private sealed class Sequence(List<Node> items) : Node
    {
        public override IEnumerable<string> Generate(Context c)
        {
            IEnumerable<string> acc = new[] { "" };
            foreach (var item in items)
            {
                var next = item.Generate(c).Take(24).ToList();
                acc = acc.SelectMany(prefix => next.Select(s => prefix + s)).Take(MaxSamples).ToList();
            }
            return acc;
        }
    }

    private sealed class Alternation(List<Node> branches) : Node
    {
        public override IEnumerable<string> Generate(Context c) => branches.SelectMany(b => b.Generate(c).Take(MaxSamples / Math.Max(1, branches.Count)));
    }

    private sealed class Repeat(Node inner, int min, int max) : Node
    {
        public override IEnumerable<string> Generate(Context c)
        {
            // An unbounded wildcard (".*", "[a-z]+") takes whole fill strings: that is where the other pattern's pieces go.
            if (inner is CharSet set && max > 1)
                foreach (var fill in c.Fills.Where(f => f.Length >= min && f.Length <= max && set.Allows(f)))
                    yield return fill;
            var counts = new[] { min, min + 1, min + 2 }.Where(n => n <= max).Distinct();
            foreach (var n in counts)
            {
                IEnumerable<string> acc = new[] { "" };
                var once = inner.Generate(c).Take(8).ToList();
                for (var i = 0; i < n; i++) acc = acc.SelectMany(p => once.Select(s => p + s)).Take(64).ToList();
                foreach (var s in acc) yield return s;
            }
        }
    }

    /// <summary>A parser for the regex subset topic filters use; anything else makes it give up (no samples).</summary>
    private sealed class Parser(string p)
    {
        private int _i;

        public Node Parse()
        {
            var node = ParseAlternation();
            if (_i != p.Length) throw new FormatException();
            return node;
        }

        private Node ParseAlternation()
        {
            var branches = new List<Node> { ParseSequence() };
            while (_i < p.Length && p[_i] == '|') { _i++; branches.Add(ParseSequence()); }
            return branches.Count == 1 ? branches[0] : new Alternation(branches);
        }

        private Node ParseSequence()
        {
            var items = new List<Node>();
            while (_i < p.Length && p[_i] is not ('|' or ')'))
            {
                var atom = ParseAtom();
                if (atom is null) continue;
                items.Add(ParseQuantifier(atom));
            }
            return new Sequence(items);
        }

        private Node ParseQuantifier(Node atom)
        {
            if (_i >= p.Length) return atom;
            (int Min, int Max) q;
            switch (p[_i])
            {
                case '*': q = (0, int.MaxValue); _i++; break;
                case '+': q = (1, int.MaxValue); _i++; break;
                case '?': q = (0, 1); _i++; break;
                case '{': q = Braces(); break;
                default: return atom;
            }
            if (_i < p.Length && p[_i] is '?' or '+') _i++; // lazy / possessive: same language
            return new Repeat(atom, q.Min, q.Max);
        }

        private (int, int) Braces()
        {
            var end = p.IndexOf('}', _i);
            if (end < 0) throw new FormatException();
            var body = p[(_i + 1)..end].Split(',');
            _i = end + 1;
            var min = int.Parse(body[0], System.Globalization.CultureInfo.InvariantCulture);
            var max = body.Length == 1 ? min : body[1].Length == 0 ? int.MaxValue : int.Parse(body[1], System.Globalization.CultureInfo.InvariantCulture);
            return (min, max);
        }

        private Node? ParseAtom()
        {
            var ch = p[_i++];
            switch (ch)
            {
                case '^' or '$':
                    return null;
                case '.':
                    return new CharSet(_ => true, Array.Empty<char>());
                case '(':
                    if (_i < p.Length && p[_i] == '?')
                    {
                        if (_i + 1 < p.Length && p[_i + 1] == ':') _i += 2;
                        else if (_i + 1 < p.Length && p[_i + 1] is '=' or '!')
                        {
                            // A look-around constrains without consuming: skip it; the real regex checks every sample.
                            _i += 2;
                            ParseAlternation();
                            Expect(')');
                            return null;
                        }
                        else throw new FormatException();
                    }
                    var inner = ParseAlternation();
                    Expect(')');
                    return inner;
                case '[':
                    return ParseClass();
                case '\\':
                    return ParseEscape();
                case '*' or '+' or '?' or '{' or ')':
                    throw new FormatException();
                default:
                    return new Literal(ch);
            }
        }

        private void Expect(char c)
        {
            if (_i >= p.Length || p[_i] != c) throw new FormatException();
            _i++;
        }

        private Node ParseEscape()
        {
            if (_i >= p.Length) throw new FormatException();
            var e = p[_i++];
            return e switch
            {
                'd' => new CharSet(char.IsAsciiDigit, "0".ToCharArray()),
                'w' => new CharSet(c => char.IsAsciiLetterOrDigit(c) || c == '_', "a0_".ToCharArray()),
                'D' => new CharSet(c => !char.IsAsciiDigit(c), "a".ToCharArray()),
                'W' or 's' or 'S' or 'b' or 'B' or 'Q' or 'E' => throw new FormatException(),
                _ when char.IsLetterOrDigit(e) => throw new FormatException(),
                _ => new Literal(e),
            };
        }

        private Node ParseClass()
        {
            var negated = _i < p.Length && p[_i] == '^';
            if (negated) _i++;
            var ranges = new List<(char From, char To)>();
            var first = true;
            while (_i < p.Length && (p[_i] != ']' || first))
            {
                first = false;
                var c = p[_i++];
                if (c == '\\')
                {
                    if (_i >= p.Length) throw new FormatException();
                    var e = p[_i++];
                    if (e == 'd') { ranges.Add(('0', '9')); continue; }
                    if (e == 'w') { ranges.Add(('a', 'z')); ranges.Add(('A', 'Z')); ranges.Add(('0', '9')); ranges.Add(('_', '_')); continue; }
                    if (char.IsLetterOrDigit(e)) throw new FormatException();
                    c = e;
                }
                if (_i + 1 < p.Length && p[_i] == '-' && p[_i + 1] != ']')
                {
                    var to = p[_i + 1];
                    _i += 2;
                    ranges.Add((c, to));
                }
                else ranges.Add((c, c));
            }
            Expect(']');
            bool In(char x) => ranges.Any(r => x >= r.From && x <= r.To);
            var listed = negated ? Array.Empty<char>() : ranges.Select(r => r.From).ToArray();
            return new CharSet(x => In(x) != negated, listed);
        }
    }
}
