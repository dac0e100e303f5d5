using System.Globalization;
using System.Text;

namespace KafkaReplication.Engine.Monitoring;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",...} value [timestamp]</c>.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// Reads the Prometheus text format (version 0.0.4) that the JMX exporter serves: comment lines are skipped, label
/// values unescape \\, \" and \n, and values may be NaN or ±Inf. A line that does not parse is skipped, not fatal:
/// one odd metric must not hide the others.
/// </summary>
public static class PrometheusText
{
    public static IEnumerable<MetricSample> Parse(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (TryParse(line) is { } sample) yield return sample;
        }
    }

    private static MetricSample? TryParse(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && !char.IsWhiteSpace(line[i])) i++;
        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (i < line.Length && line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"') return null;
                var key = line[i..eq].Trim().TrimStart(',').Trim();
                var value = new StringBuilder();
                var j = eq + 2;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    if (line[j] == '\\' && j + 1 < line.Length)
                    {
                        j++;
                        value.Append(line[j] == 'n' ? '\n' : line[j]);
                    }
                    else value.Append(line[j]);
                }
                if (j >= line.Length) return null;
                labels[key] = value.ToString();
                i = j + 1;
                while (i < line.Length && (line[i] == ',' || char.IsWhiteSpace(line[i]))) i++;
            }
            if (i >= line.Length) return null;
            i++;
        }
        var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (name.Length == 0 || rest.Length == 0) return null;
        double number;
        switch (rest[0])
        {
            case "+Inf": number = double.PositiveInfinity; break;
            case "-Inf": number = double.NegativeInfinity; break;
            case "NaN": number = double.NaN; break;
            default:
                if (!double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return null;
                break;
        }
        return new MetricSample(name, labels, number);
    }
}
