using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// Looks for secret values in everything a user can reach from an error: the message, ErrorDetails, TargetObject,
/// InvocationInfo, every exception of the InnerException chain and of AggregateExceptions with all their public
/// properties, recursively (HttpOperationException.Request.Content, Response.Content, Data, ...), and a Get-Error-like
/// rendering of all of it. A secret counts as found in plain text, JSON- or URL-escaped, and in base64 at any alignment
/// (so also inside a larger base64 blob such as a Secret's data or a Basic authorization header).
/// </summary>
public static class SecretScan
{
    private const int MaxDepth = 14;

    /// <summary>Every place (a property path) where one of the secrets shows, empty when none does.</summary>
    public static IReadOnlyList<string> Find(object? root, IEnumerable<string> secrets)
    {
        var needles = secrets.Where(s => !string.IsNullOrEmpty(s)).SelectMany(Variants).Distinct().ToList();
        var hits = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var view = new StringBuilder();
        Walk(root, "$error", 0, needles, hits, seen, view);
        // The Get-Error-like view as one text: a secret split over two properties' lines cannot hide there either.
        if (hits.Count == 0 && Contains(view.ToString(), needles) is { } n) hits.Add($"rendered view: {n}");
        return hits;
    }

    /// <summary>Fails when a secret is reachable from any error in the session's $Error, or from its rendering by Out-Default.</summary>
    public static void AssertNoSecretInErrors(ModuleSession ps, IEnumerable<string> secrets, int atLeast = 1)
    {
        var list = secrets.ToList();
        var errors = ps.Invoke("$global:Error.ToArray()").Output.Select(o => o.BaseObject).ToList();
        Assert.True(errors.Count >= atLeast, $"expected at least {atLeast} error(s) in $Error, found {errors.Count}");
        var rendered = ps.Invoke("$global:Error | Out-Default").HostText;
        var hits = Find(errors, list);
        if (Contains(rendered, list.SelectMany(Variants).ToList()) is { } r) hits = hits.Append($"Out-Default rendering: {r}").ToList();
        Assert.True(hits.Count == 0, "secret reachable from $Error at:\n" + string.Join("\n", hits));
    }

    /// <summary>Fails when a secret is reachable from the error record (or exception) given.</summary>
    public static void AssertClean(object? error, IEnumerable<string> secrets)
    {
        var hits = Find(error, secrets);
        Assert.True(hits.Count == 0, "secret reachable at:\n" + string.Join("\n", hits));
    }

    /// <summary>The forms a secret can take in text: as is, escaped, and base64 (three alignments, plus their escapes).</summary>
    internal static IEnumerable<string> Variants(string secret)
    {
        yield return secret;
        yield return JsonEncodedText.Encode(secret).ToString();
        yield return JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        yield return Uri.EscapeDataString(secret);
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var k = 0; k < 3; k++)
        {
            var padded = new byte[k + bytes.Length];
            bytes.CopyTo(padded, k);
            var b64 = Convert.ToBase64String(padded);
            // Characters that only the secret's bytes determine: after the k prefix bytes, before what follows.
            var start = (8 * k + 5) / 6;
            var end = 8 * (k + bytes.Length) / 6;
            if (end - start < 6) continue;
            var core = b64[start..end];
            yield return core;
            yield return core.Replace("+", "\\u002B").Replace("/", "\\/");
            yield return Uri.EscapeDataString(core);
        }
    }

    private static string? Contains(string text, IReadOnlyList<string> needles) =>
        needles.FirstOrDefault(n => text.Contains(n, StringComparison.Ordinal));

    private static void Walk(object? value, string path, int depth, IReadOnlyList<string> needles, List<string> hits, HashSet<object> seen, StringBuilder view)
    {
        if (value is null || depth > MaxDepth) return;
        switch (value)
        {
            case string s:
                Check(s, path, needles, hits, view);
                return;
            case SecureString:
                return; // never plain
            case char or bool or Enum or DateTime or DateTimeOffset or TimeSpan or Guid:
                return;
            case IConvertible c when value.GetType().IsPrimitive || value is decimal:
                view.AppendLine($"{path} = {c}");
                return;
            case Uri u:
                Check(u.OriginalString, path, needles, hits, view);
                return;
        }
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        switch (value)
        {
            case byte[] bytes:
                Check(Encoding.UTF8.GetString(bytes), path, needles, hits, view);
                Check(Convert.ToBase64String(bytes), path + "(base64)", needles, hits, view);
                return;
            case JsonNode node:
                Check(node.ToJsonString(), path, needles, hits, view);
                return;
            case ScriptBlock block:
                Check(block.ToString(), path, needles, hits, view);
                return;
            case HttpContent content:
                try { Check(content.ReadAsStringAsync().GetAwaiter().GetResult(), path, needles, hits, view); }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or HttpRequestException) { }
                return;
            case PSObject pso:
                Walk(pso.BaseObject, path, depth + 1, needles, hits, seen, view);
                foreach (var p in pso.Properties.OfType<PSNoteProperty>())
                    Walk(p.Value, $"{path}.{p.Name}", depth + 1, needles, hits, seen, view);
                return;
            case IDictionary dict:
                foreach (DictionaryEntry e in dict)
                {
                    Walk(e.Key, $"{path}[key]", depth + 1, needles, hits, seen, view);
                    Walk(e.Value, $"{path}[{e.Key}]", depth + 1, needles, hits, seen, view);
                }
                return;
            case IEnumerable items when value is not IDictionary:
                var i = 0;
                foreach (var item in items)
                {
                    if (i >= 2000) break;
                    Walk(item, $"{path}[{i++}]", depth + 1, needles, hits, seen, view);
                }
                if (value is Exception) break; // an exception that is also a sequence still has properties to read
                return;
        }
        if (Skip(value.GetType())) return;
        if (value.GetType().GetMethod("ToString", Type.EmptyTypes)?.DeclaringType != typeof(object))
            Check(SafeToString(value), path + ".ToString()", needles, hits, view);
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || !p.CanRead) continue;
            // The command's metadata is not the call; the bound and unbound arguments are the caller's own values,
            // which PowerShell keeps whatever a module does (a URL with a password given as -ConnectUri stays there).
            if (value is InvocationInfo && p.Name is nameof(InvocationInfo.MyCommand) or nameof(InvocationInfo.BoundParameters) or nameof(InvocationInfo.UnboundArguments)) continue;
            object? v;
            try { v = p.GetValue(value); }
            catch (Exception) { continue; }
            Walk(v, $"{path}.{p.Name}", depth + 1, needles, hits, seen, view);
        }
        foreach (var f in value.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
            Walk(f.GetValue(value), $"{path}.{f.Name}", depth + 1, needles, hits, seen, view);
    }

    private static string SafeToString(object value)
    {
        try { return value.ToString() ?? ""; }
        catch (Exception) { return ""; }
    }

    /// <summary>Runtime machinery that holds no data of the call (and would make the walk enormous).</summary>
    private static bool Skip(Type t) =>
        typeof(MemberInfo).IsAssignableFrom(t) || typeof(Assembly).IsAssignableFrom(t) || typeof(System.Reflection.Module).IsAssignableFrom(t)
        || typeof(Delegate).IsAssignableFrom(t) || typeof(System.Runtime.InteropServices.SafeHandle).IsAssignableFrom(t)
        || typeof(Task).IsAssignableFrom(t) || typeof(WaitHandle).IsAssignableFrom(t) || typeof(Stream).IsAssignableFrom(t)
        || typeof(CommandInfo).IsAssignableFrom(t) || typeof(PSModuleInfo).IsAssignableFrom(t)
        || typeof(SessionState).IsAssignableFrom(t) || typeof(System.Management.Automation.Runspaces.Runspace).IsAssignableFrom(t)
        || typeof(System.Management.Automation.Host.PSHost).IsAssignableFrom(t) || t == typeof(CancellationToken) || t == typeof(IntPtr);

    private static void Check(string text, string path, IReadOnlyList<string> needles, List<string> hits, StringBuilder view)
    {
        view.AppendLine($"{path} = {text}");
        if (Contains(text, needles) is { } n) hits.Add($"{path} (as '{Show(n)}')");
    }

    // Says which form was found without printing the secret itself into the test log.
    private static string Show(string needle) => needle.Length <= 4 ? "****" : needle[..2] + new string('*', needle.Length - 2);
}
