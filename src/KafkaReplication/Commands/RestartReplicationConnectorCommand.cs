using System.Management.Automation;
using KafkaReplication.Engine.Connect;
using KafkaReplication.Engine.Flows;
using KafkaReplication.Engine.Model;
using KafkaReplication.Hosting;

namespace KafkaReplication.Commands;

/// <summary>
/// Help (synopsis, description, parameters, examples): docs/cmdlets/Restart-ReplicationConnector.md, its only source.
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "ReplicationConnector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ReplicationConnector))]
public sealed class RestartReplicationConnectorCommand : ConnectFlowCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.ConnectorCompleter))]
    public string[]? Connector { get; set; }

    /// <summary>Restart only connectors and tasks that are FAILED (Connect's onlyFailed=true).</summary>
    [Parameter]
    public SwitchParameter OnlyFailed { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        var flow = ResolveFlow();
        var connect = OpenConnect(flow);
        foreach (var c in flow.SelectConnectors(Connector))
        {
            if (OnlyFailed)
            {
                var current = Run(ct => ConnectorControl.DescribeAsync(connect, flow, c, null, ct));
                if (!current.Failed)
                {
                    WriteVerbose($"Connector '{c.Name}' has nothing failed; not restarted.");
                    continue;
                }
            }
            if (!ShouldProcess($"connector {flow.Namespace}/{c.Name}", OnlyFailed ? "Restart failed connector and tasks" : "Restart connector and tasks")) continue;
            Run(ct => connect.RestartAsync(c.Name, includeTasks: true, onlyFailed: OnlyFailed, ct));
            if (PassThru) WriteObject(Describe(flow, c));
        }
    });
}
