using System.Globalization;

namespace KafkaReplication.Engine;

/// <summary>
/// Reads an HTTP Retry-After value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) and bounds it, so a server
/// cannot make the module wait longer than its own per-request limit.
/// </summary>
internal static class RetryAfter
{
    public static TimeSpan? Parse(IEnumerable<string>? values, TimeSpan max)
    {
        var text = values?.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        TimeSpan? delay = null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            delay = TimeSpan.FromSeconds(seconds);
        else if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            delay = when - DateTimeOffset.UtcNow;
        if (delay is null) return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
    }

    /// <summary>The header among headers of any casing (k8s.Autorest copies them into a plain dictionary).</summary>
    public static IEnumerable<string>? From(IDictionary<string, IEnumerable<string>>? headers) =>
        headers?.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value;
}
