namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// A resource URL taken apart: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> and the same under
/// <c>/apis/{group}/{version}</c>; Namespaces themselves live at <c>/api/v1/namespaces[/{name}[/status]]</c>. The legacy
/// <c>/watch/</c> prefix is accepted and turns a list into a watch.
/// </summary>
internal sealed record ApiPath(string Group, string Version, string Plural, string? Namespace, string? Name, string? Subresource, bool WatchPrefix)
{
    /// <summary>Null when the path is not a resource path (discovery documents are handled separately).</summary>
    public static ApiPath? Parse(string path)
    {
        var segments = path.Trim('/').Split('/');
        string group, version;
        int rest;
        if (segments is ["api", var v, ..])
        {
            (group, version, rest) = ("", v, 2);
        }
        else if (segments is ["apis", var g, var v2, ..])
        {
            (group, version, rest) = (g, v2, 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..];
        var watch = tail is ["watch", ..];
        if (watch)
        {
            tail = tail[1..];
        }

        if (tail.Length == 0 || tail.Any(s => s.Length == 0))
        {
            return null;
        }

        if (tail[0] == "namespaces")
        {
            return tail switch
            {
                ["namespaces"] => new ApiPath(group, version, "namespaces", null, null, null, watch),
                ["namespaces", var name] when group.Length == 0 => new ApiPath(group, version, "namespaces", null, name, null, watch),
                ["namespaces", var name, "status" or "finalize"] when group.Length == 0 =>
                    new ApiPath(group, version, "namespaces", null, name, tail[2], watch),
                ["namespaces", var ns, var plural] => new ApiPath(group, version, plural, ns, null, null, watch),
                ["namespaces", var ns, var plural, var name] => new ApiPath(group, version, plural, ns, name, null, watch),
                ["namespaces", var ns, var plural, var name, var sub] => new ApiPath(group, version, plural, ns, name, sub, watch),
                _ => null,
            };
        }

        return tail switch
        {
            [var plural] => new ApiPath(group, version, plural, null, null, null, watch),
            [var plural, var name] => new ApiPath(group, version, plural, null, name, null, watch),
            [var plural, var name, var sub] => new ApiPath(group, version, plural, null, name, sub, watch),
            _ => null,
        };
    }

    /// <summary>True when the URL itself names a namespace (<c>.../namespaces/{ns}/{plural}...</c>).</summary>
    public bool NamespacedUrl => Namespace is not null;
}
