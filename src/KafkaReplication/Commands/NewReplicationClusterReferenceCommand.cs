using System.Management.Automation;
using System.Security;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/New-ReplicationClusterReference.md, its only source.
/// </summary>
[Cmdlet(VerbsCommon.New, "ReplicationClusterReference")]
[OutputType(typeof(ReplicationClusterReference))]
public sealed class NewReplicationClusterReferenceCommand : ReplicationCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Alias { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string BootstrapServers { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SecurityProtocol SecurityProtocol { get; set; } = SecurityProtocol.Plaintext;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SaslMechanism? SaslMechanism { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? CaCertificatePath { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? TruststorePath { get; set; }

    [Parameter]
    public SecureString? TruststorePassword { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var (user, password) = Secrets.From(Credential, "credential");
        var reference = ClusterReferenceFactory.Create(new ClusterReferenceFactory.Input
        {
            Alias = Alias,
            BootstrapServers = BootstrapServers,
            SecurityProtocol = SecurityProtocol,
            SaslMechanism = SaslMechanism,
            UserName = user,
            Password = password,
            CaCertificatePath = CaCertificatePath is null ? null : GetUnresolvedProviderPathFromPSPath(CaCertificatePath),
            TruststorePath = TruststorePath is null ? null : GetUnresolvedProviderPathFromPSPath(TruststorePath),
            TruststorePassword = Secrets.From(TruststorePassword, "parameter"),
        });
        WriteObject(reference);
    });
}
