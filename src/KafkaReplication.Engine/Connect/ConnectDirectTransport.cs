using System.Net.Http.Headers;
using System.Text;
using KafkaReplication.Engine.Errors;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Engine.Connect;

/// <summary>
/// Direct access to a Connect REST endpoint (-ConnectUri), e.g. behind an ingress: optional Basic credentials (from
/// -ConnectCredential, or the URL's user info, which is taken out of the URL and never shown) and an optional private
/// CA (-ConnectCaCertificatePath) that the server's certificate must chain to, with its host name checked.
/// </summary>
public sealed record ConnectDirectOptions(Uri Uri)
{
    public string? UserName { get; init; }
    public SecretValue? Password { get; init; }
    public string? CaCertificatePath { get; init; }

    /// <summary>A URL alone (callers that only have -ConnectUri).</summary>
    public static implicit operator ConnectDirectOptions(Uri uri) => new(uri);
}

internal static class ConnectDirectTransport
{
    public static ConnectTransport Create(ConnectDirectOptions o)
    {
        if (!o.Uri.IsAbsoluteUri || (o.Uri.Scheme != Uri.UriSchemeHttp && o.Uri.Scheme != Uri.UriSchemeHttps))
            throw ReplicationException.Invalid("ConnectUriInvalid", "-ConnectUri must be an absolute http or https URL.", ClientErrorScrubber.SafeTarget(o.Uri));
        var uri = ClientErrorScrubber.WithoutUserInfo(o.Uri);
        var (user, password) = (o.UserName, o.Password?.Reveal());
        if (user is null && !string.IsNullOrEmpty(o.Uri.UserInfo))
        {
            var parts = o.Uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        // Basic credentials in clear text only to this machine (a local kubectl port-forward); elsewhere TLS protects them.
        if (user is not null && uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            throw ReplicationException.Invalid("ConnectCredentialNeedsHttps",
                $"Credentials for Kafka Connect at {uri.GetLeftPart(UriPartial.Authority)} would travel unencrypted: use an https URL.", uri.GetLeftPart(UriPartial.Authority));

        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        if (o.CaCertificatePath is not null)
        {
            if (uri.Scheme != Uri.UriSchemeHttps)
                throw ReplicationException.Invalid("ConnectCaNeedsHttps", "-ConnectCaCertificatePath goes with an https -ConnectUri.", o.CaCertificatePath);
            System.Security.Cryptography.X509Certificates.X509Certificate2Collection cas;
            try { cas = ServerCertificates.LoadPem(o.CaCertificatePath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or FormatException)
            {
                throw new ReplicationException(ReplicationErrorKind.InvalidArgument, "ConnectCaCertificateInvalid",
                    $"Cannot use '{o.CaCertificatePath}' as the Connect CA certificate: {e.Message}", o.CaCertificatePath);
            }
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                ServerCertificates.Verify(cas, cert as System.Security.Cryptography.X509Certificates.X509Certificate2, errors);
        }
        var http = new HttpClient(handler) { BaseAddress = WithSlash(uri) };
        var route = uri.GetLeftPart(UriPartial.Authority);
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            route += $" as '{user}'";
        }
        return new ConnectTransport(http, route);
    }

    private static Uri WithSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
}
