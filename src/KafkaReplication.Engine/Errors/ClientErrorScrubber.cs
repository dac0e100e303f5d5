using System.Collections;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KafkaReplication.Engine.Kubernetes;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Errors;

/// <summary>
/// A client library's exception as the engine keeps it below a <see cref="ReplicationException"/>: the original type's
/// name, its status or error code and a scrubbed message, never the request or response it came with (KubernetesClient's
/// HttpOperationException carries the whole request body, a Secret's data included, in Request.Content).
/// </summary>
public sealed class ClientError : Exception
{
    internal ClientError(string clientType, int? statusCode, string? errorCode, string message, string? clientStackTrace, Exception? inner)
        : base(message, inner)
    {
        ClientType = clientType;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ClientStackTrace = clientStackTrace;
    }

    /// <summary>The full name of the exception type the client library threw.</summary>
    public string ClientType { get; }
    /// <summary>The HTTP status, when the error was an HTTP answer.</summary>
    public int? StatusCode { get; }
    /// <summary>The library's error code (a Kafka ErrorCode name, a socket error), when it had one.</summary>
    public string? ErrorCode { get; }
    /// <summary>Where the client library threw (a stack trace holds code locations, no data).</summary>
    public string? ClientStackTrace { get; }
}

/// <summary>
/// Makes client exceptions safe to hand to a user: <see cref="ReplicationException"/> passes its inner exception,
/// target and message through here, so no engine error keeps a client exception, a request or response body, a
/// secret-bearing target or a credential in its text, whichever code path made it.
/// </summary>
public static partial class ClientErrorScrubber
{
    private const string Mask = "***";
    private const int MaxChain = 8;

    /// <summary>The exception to keep as InnerException: engine exceptions as they are, anything else as a <see cref="ClientError"/>.</summary>
    public static Exception? SafeInner(Exception? e, IReadOnlyCollection<string>? sensitive = null) => Safe(e, sensitive, 0);

    private static Exception? Safe(Exception? e, IReadOnlyCollection<string>? sensitive, int depth)
    {
        if (e is null || depth > MaxChain) return null;
        if (sensitive is not { Count: > 0 } && e is ReplicationException or ClientError) return e;
        if (e is AggregateException a)
        {
            var children = a.InnerExceptions.Select(c => Safe(c, sensitive, depth + 1)).OfType<Exception>().ToList();
            return new ClientError(a.GetType().FullName!, null, null, Redact(Own(a), sensitive), null,
                children.Count == 1 ? children[0] : new AggregateException(children));
        }
        var (status, code) = Codes(e);
        var type = e is ClientError c0 ? c0.ClientType : e.GetType().FullName!;
        var trace = e is ClientError c1 ? c1.ClientStackTrace : e.StackTrace;
        if (e is ReplicationException r)
            return new ReplicationException(r.Kind, r.ErrorId, Redact(r.Message, sensitive), r.Target is string t ? Redact(t, sensitive) : r.Target,
                Safe(r.InnerException, sensitive, depth + 1)) { RecommendedAction = r.RecommendedAction };
        return new ClientError(type, status, code, Redact(e.Message, sensitive), trace, Safe(e.InnerException, sensitive, depth + 1));
    }

    /// <summary>An AggregateException's message without the "(child message) (child message)" it appends.</summary>
    private static string Own(AggregateException a)
    {
        var m = a.Message;
        var i = m.IndexOf(" (", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }

    private static (int? Status, string? Code) Codes(Exception e) => e switch
    {
        ClientError c => (c.StatusCode, c.ErrorCode),
        k8s.Autorest.HttpOperationException h => ((int?)h.Response?.StatusCode, null),
        HttpRequestException h => ((int?)h.StatusCode, h.HttpRequestError.ToString()),
        Connect.ConnectApiException c => ((int)c.Status, null),
        _ when KafkaErrorCode(e) is { } code => (null, code),
        System.Net.Sockets.SocketException s => (null, s.SocketErrorCode.ToString()),
        _ => (null, null),
    };

    /// <summary>
    /// The error code of a Confluent.Kafka KafkaException (or subclass), read by name: Confluent.Kafka lives in the Kafka
    /// client's own context (Kafka/KafkaClients.cs), which the engine does not reference.
    /// </summary>
    private static string? KafkaErrorCode(Exception e)
    {
        for (var t = e.GetType(); t is not null; t = t.BaseType)
            if (t.FullName == "Confluent.Kafka.KafkaException")
                return t.GetProperty("Error")?.GetValue(e) is { } error ? error.GetType().GetProperty("Code")?.GetValue(error)?.ToString() : null;
        return null;
    }

    /// <summary>
    /// The text without credentials: URL user info, Authorization header values, JAAS and properties-style passwords,
    /// a Secret's data in a JSON echo, and every one of <paramref name="sensitive"/> (as is and in base64).
    /// </summary>
    public static string Redact(string text, IEnumerable<string>? sensitive = null)
    {
        if (string.IsNullOrEmpty(text)) return text;
        text = UserInfo().Replace(text, m => m.Groups[1].Value + Mask + "@");
        text = AuthHeader().Replace(text, m => m.Groups[1].Value + " " + Mask);
        text = QuotedPassword().Replace(text, m => m.Groups[1].Value + "=\"" + Mask + "\"");
        text = PropertyPassword().Replace(text, m => m.Groups[1].Value + "=" + Mask);
        text = SecretData().Replace(text, m => $"\"{m.Groups[1].Value}\":{{{Mask}}}");
        if (sensitive is not null)
            foreach (var s in sensitive.Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
            {
                text = text.Replace(s, Mask, StringComparison.Ordinal);
                var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
                text = text.Replace(b64, Mask, StringComparison.Ordinal);
            }
        return text;
    }

    /// <summary>A safe ErrorRecord target: names and plain values pass; objects that can hold data become a description.</summary>
    public static object? SafeTarget(object? target) => target switch
    {
        null => null,
        string s => Redact(s),
        Uri u => WithoutUserInfo(u),
        ManifestObject m => m.DisplayName,
        JsonNode n => Describe(n),
        Exception x => x.GetType().Name,
        Enum or decimal => target,
        _ when target.GetType().IsPrimitive => target,
        // The module's own model types mask their secrets (SecretValue) and expose no revealing member.
        _ when IsModelType(target.GetType()) => target,
        IEnumerable items when target.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            && (IsModelType(i.GetGenericArguments()[0]) || i.GetGenericArguments()[0] == typeof(string))) => target,
        _ => target.GetType().Name,
    };

    private static bool IsModelType(Type t) => t.Namespace == typeof(ReplicationException).Namespace && t.Assembly == typeof(ReplicationException).Assembly;

    private static string Describe(JsonNode n) =>
        n is JsonObject o && o["kind"] is not null
            ? $"{o["kind"]} {(o["metadata"]?["namespace"] is { } ns ? ns + "/" : "")}{o["metadata"]?["name"]}"
            : "JSON " + n.GetValueKind();

    /// <summary>The URL without user name and password (for display, and for requests once the credential is taken out).</summary>
    public static Uri WithoutUserInfo(Uri u) =>
        !u.IsAbsoluteUri || string.IsNullOrEmpty(u.UserInfo) ? u : new UriBuilder(u) { UserName = "", Password = "" }.Uri;

    /// <summary>The values of a Secret object to keep out of any error about it: its data (base64 and decoded) and stringData.</summary>
    public static IReadOnlyCollection<string> SecretValuesOf(ManifestObject obj)
    {
        var values = new List<string>();
        if (obj.Kind != Kinds.Secret) return values;
        foreach (var (_, v) in obj.Body["data"] as JsonObject ?? new JsonObject())
        {
            if (v?.ToString() is not { Length: > 0 } b64) continue;
            values.Add(b64);
            try { values.Add(Encoding.UTF8.GetString(Convert.FromBase64String(b64))); }
            catch (FormatException) { }
        }
        foreach (var (_, v) in obj.Body["stringData"] as JsonObject ?? new JsonObject())
            if (v?.ToString() is { Length: > 0 } s) values.Add(s);
        return values;
    }

    /// <summary>The same error with these values taken out of its message, target and whole chain.</summary>
    public static ReplicationException Without(ReplicationException e, IReadOnlyCollection<string> values) =>
        values.Count == 0 ? e : (ReplicationException)Safe(e, values, 0)!;

    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@?#]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{6,}")]
    private static partial Regex AuthHeader();

    [GeneratedRegex(@"\b(password)\s*=\s*""(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase)]
    private static partial Regex QuotedPassword();

    [GeneratedRegex(@"\b([\w-]+\.password)\s*=\s*[^\s;,""}]+", RegexOptions.IgnoreCase)]
    private static partial Regex PropertyPassword();

    [GeneratedRegex(@"""(data|stringData)""\s*:\s*\{[^{}]*\}")]
    private static partial Regex SecretData();
}
