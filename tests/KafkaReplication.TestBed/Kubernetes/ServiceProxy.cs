using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// The API server's service proxy, /api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/{path}: the request is
/// forwarded over HTTP to the endpoint <see cref="Target"/> names for (namespace, service, port) and the answer copied
/// back. Without a target the real server answers 503 (no endpoints); so does this one.
/// </summary>
internal sealed partial class ServiceProxy
{
    [GeneratedRegex(@"^/api/v1/namespaces/(?<ns>[^/]+)/services/(?<svc>[^/:]+)(:(?<port>\d+))?/proxy(?<rest>/.*)?$")]
    private static partial Regex Route();

    private static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    public Func<string, string, int, IPEndPoint?>? Target { get; set; }

    public static bool Matches(string path) => Route().IsMatch(path);

    public async Task HandleAsync(HttpContext context)
    {
        var m = Route().Match(context.Request.Path.Value ?? "");
        var port = m.Groups["port"].Success ? int.Parse(m.Groups["port"].Value) : 80;
        var endpoint = Target?.Invoke(m.Groups["ns"].Value, m.Groups["svc"].Value, port);
        if (endpoint is null)
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync($"no endpoints available for service \"{m.Groups["svc"].Value}\"");
            return;
        }
        var uri = new Uri($"http://{endpoint}{(m.Groups["rest"].Success ? m.Groups["rest"].Value : "/")}{context.Request.QueryString}");
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), uri);
        if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        using var response = await Client.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
        await response.Content.CopyToAsync(context.Response.Body);
    }
}
