using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaReplication.TestBed.Tls;

/// <summary>
/// An ingress in front of an emulator on 127.0.0.1: HTTPS with the given certificate (or plain http without one), an
/// optional Basic authentication check (401 otherwise, as an authenticating ingress answers), and every other request
/// forwarded to the backend as is. Records who authenticated, and the Authorization schemes it saw.
/// </summary>
public sealed class TlsFrontEnd : IAsyncDisposable
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly Lock gate = new();
    private readonly List<string?> users = [];
    private WebApplication? app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The user name of each request (null: no Basic credentials), oldest first.</summary>
    public IReadOnlyList<string?> Users
    {
        get
        {
            lock (gate)
            {
                return users.ToArray();
            }
        }
    }

    /// <summary>The Authorization header of the last request (empty when it had none).</summary>
    public string? LastAuthorization { get; private set; }

    public static async Task<TlsFrontEnd> StartAsync(IPEndPoint backend, X509Certificate2? certificate, string? user = null, string? password = null)
    {
        var front = new TlsFrontEnd();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            if (certificate is not null) o.UseHttps(certificate);
        }));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.Run(context => front.HandleAsync(context, backend, user, password));
        await app.StartAsync();
        front.app = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        front.BaseUri = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{address.Port}/");
        return front;
    }

    private async Task HandleAsync(HttpContext context, IPEndPoint backend, string? user, string? password)
    {
        var header = context.Request.Headers.Authorization.ToString();
        LastAuthorization = header;
        string? given = null, givenPassword = null;
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
            given = pair[0];
            givenPassword = pair.Length > 1 ? pair[1] : "";
        }
        lock (gate)
        {
            users.Add(given);
        }
        if (user is not null && (given != user || givenPassword != password))
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"connect\"";
            await context.Response.WriteAsync("401 Authorization Required");
            return;
        }
        var uri = new Uri($"http://{backend}{context.Request.Path}{context.Request.QueryString}");
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), uri);
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        using var response = await Client.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is null) return;
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        app = null;
    }
}
