using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Session;

namespace KafkaReplication.Hosting;

/// <summary>Turns the Connect access parameters (-ConnectAccess, -ConnectUri, -ConnectCredential, -ConnectCaCertificatePath) into the engine's endpoint.</summary>
internal static class ConnectParameters
{
    public static ConnectEndpoint Endpoint(PSCmdlet cmdlet, ConnectAccess access, Uri? uri, PSCredential? credential, string? caCertificatePath)
    {
        if (uri is null)
        {
            if (credential is not null || caCertificatePath is not null)
                throw ReplicationException.Invalid("ConnectUriRequired", "-ConnectCredential and -ConnectCaCertificatePath go with -ConnectUri.");
            return new ConnectEndpoint(access);
        }
        var (user, password) = Secrets.From(credential, "ConnectCredential");
        return new ConnectEndpoint(access, uri)
        {
            UserName = user,
            Password = password,
            CaCertificatePath = caCertificatePath is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(caCertificatePath),
        };
    }
}
