using System.Management.Automation;
using Xunit;

namespace KafkaReplication.Module.Tests;

public sealed class ModuleConventionTests : IDisposable
{
    private readonly TestFolder _folder = new();
    private readonly ModuleSession _ps;

    public ModuleConventionTests() => _ps = new ModuleSession(_folder.Path, _folder.Environment());

    public void Dispose() { _ps.Dispose(); _folder.Dispose(); }

    private static readonly string[] Approved =
    {
        "Get", "New", "Remove", "Set", "Test", "Start", "Stop", "Suspend", "Resume", "Restart", "Reset", "Wait", "Enable", "Disable", "Invoke", "Add", "Clear",
    };

    [Fact]
    public void Exports_exactly_the_manifests_cmdlets_each_with_an_approved_verb_and_output_type()
    {
        var r = _ps.Invoke("Get-Command -Module KafkaReplication");
        var commands = r.Output.Select(o => (CmdletInfo)o.BaseObject).ToList();
        var manifest = _ps.Invoke("(Get-Module KafkaReplication).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).ToList();
        Assert.Equal(manifest.OrderBy(x => x), commands.Select(c => c.Name).OrderBy(x => x));
        Assert.True(commands.Count >= 5);
        foreach (var c in commands)
        {
            Assert.Contains(c.Verb, Approved);
            Assert.True(c.OutputType.Count > 0, $"{c.Name} declares no OutputType");
            // The failover runbooks are named as the guide names the procedures (issue 5).
            Assert.Matches("^(Replication|Source|ConsumerGroup|ControlledFailover$|ControlledFailback$|DisasterFailover$)", c.Noun);
        }
    }

    [Theory]
    [InlineData("New-ReplicationFlow", "Medium")]
    [InlineData("Remove-ReplicationFlow", "High")]
    [InlineData("Set-ReplicationFlow", "Medium")]
    [InlineData("Start-ReplicationFlow", "Medium")]
    [InlineData("Stop-ReplicationFlow", "High")]
    [InlineData("Suspend-ReplicationFlow", "Medium")]
    [InlineData("Restart-ReplicationConnector", "Medium")]
    [InlineData("Set-SourceOffset", "High")]
    [InlineData("Reset-SourceOffset", "High")]
    [InlineData("Enable-ReplicationExactlyOnce", "High")]
    [InlineData("Invoke-ControlledFailover", "High")]
    [InlineData("Invoke-ControlledFailback", "High")]
    [InlineData("Invoke-DisasterFailover", "High")]
    public void Cmdlets_that_change_a_cluster_support_ShouldProcess(string name, string impact)
    {
        var info = (CmdletInfo)_ps.Invoke($"Get-Command {name}").Output.Single().BaseObject;
        var attr = info.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().Single();
        Assert.True(attr.SupportsShouldProcess);
        Assert.Equal(impact, attr.ConfirmImpact.ToString());
        Assert.Contains("WhatIf", info.Parameters.Keys);
    }

    [Fact]
    public void Every_cmdlet_that_can_change_a_cluster_supports_ShouldProcess_and_every_getter_does_not()
    {
        var inMemory = new[] { "New-ReplicationClusterReference", "New-ReplicationFlowDefinition", "New-ReplicationTransform", "New-ReplicationPredicate", "New-ReplicationSourceConnector" };
        foreach (var o in _ps.Invoke("Get-Command -Module KafkaReplication").Output)
        {
            var info = (CmdletInfo)o.BaseObject;
            var attr = info.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().Single();
            var changes = info.Verb is not ("Get" or "Test" or "Wait") && !inMemory.Contains(info.Name);
            Assert.True(attr.SupportsShouldProcess == changes, $"{info.Name}: SupportsShouldProcess is {attr.SupportsShouldProcess}");
            // Pipeline input by property name where a flow is named.
            if (info.Parameters.TryGetValue("Flow", out var flow) && flow.ParameterType == typeof(string))
                Assert.Contains(flow.Attributes.OfType<ParameterAttribute>(), p => p.ValueFromPipelineByPropertyName);
        }
    }

    [Fact]
    public void Every_cmdlet_sits_on_at_most_three_module_base_classes()
    {
        foreach (var o in _ps.Invoke("Get-Command -Module KafkaReplication").Output)
        {
            var info = (CmdletInfo)o.BaseObject;
            var bases = new List<string>();
            for (var t = info.ImplementingType.BaseType; t is not null && t != typeof(PSCmdlet); t = t.BaseType) bases.Add(t.Name);
            Assert.True(bases.Count <= 3, $"{info.Name}: {string.Join(" -> ", bases)}");
        }
    }

    [Fact]
    public void Every_Namespace_has_its_completer_and_every_timeout_is_validated()
    {
        foreach (var o in _ps.Invoke("Get-Command -Module KafkaReplication").Output)
        {
            var info = (CmdletInfo)o.BaseObject;
            if (info.Parameters.TryGetValue("Namespace", out var ns))
                Assert.Contains(ns.Attributes, a => a is ArgumentCompleterAttribute);
            foreach (var p in info.Parameters.Values.Where(p => p.ParameterType == typeof(TimeSpan) || p.ParameterType == typeof(TimeSpan?)))
                Assert.True(p.Attributes.OfType<ValidateArgumentsAttribute>().Any(), $"{info.Name} -{p.Name} is not validated");
        }
    }

    [Fact]
    public void Parameters_with_the_same_name_have_the_same_type_across_cmdlets()
    {
        // One value or several of it is the same concept (-Topic of one partition set, -Topic filters).
        static Type Element(Type t) => t.IsArray ? t.GetElementType()! : Nullable.GetUnderlyingType(t) ?? t;
        var seen = new Dictionary<string, (Type Type, string Cmdlet)>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in _ps.Invoke("Get-Command -Module KafkaReplication").Output)
        {
            var info = (CmdletInfo)o.BaseObject;
            foreach (var p in info.Parameters.Values.Where(p => !Cmdlet.CommonParameters.Contains(p.Name) && !Cmdlet.OptionalCommonParameters.Contains(p.Name)))
            {
                var type = Element(p.ParameterType);
                if (seen.TryGetValue(p.Name, out var first))
                    Assert.True(first.Type == type, $"-{p.Name} is {type.Name} on {info.Name} but {first.Type.Name} on {first.Cmdlet}");
                else
                    seen[p.Name] = (type, info.Name);
            }
        }
    }

    [Fact]
    public void Bad_cluster_reference_input_is_an_error_record_with_id_category_and_target()
    {
        var r = _ps.Invoke("New-ReplicationClusterReference -Alias src -BootstrapServers k:9092 -SecurityProtocol SaslSsl -SaslMechanism Plain -CaCertificatePath ./ca.crt");
        var e = r.SingleError;
        Assert.StartsWith("CredentialRequired,", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        Assert.Equal("src", e.TargetObject);

        r = _ps.Invoke("New-ReplicationClusterReference -Alias src -BootstrapServers k:9092 -SecurityProtocol Ssl -CaCertificatePath ./missing.crt");
        e = r.SingleError;
        Assert.StartsWith("CaCertificateNotFound,", e.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
    }

    [Fact]
    public void A_cluster_reference_displays_without_its_secrets()
    {
        var r = _ps.Invoke(Scripts.GuideReferences + "\n$source | Out-Default\n$source.Password.ToString()");
        Assert.Null(r.Terminating);
        Assert.Contains("Alias", r.HostText);
        Assert.Contains("uswest", r.HostText);
        Assert.Contains("SaslSsl", r.HostText);
        Assert.Equal("********", r.Output.Single().ToString());
        foreach (var s in TestFolder.SecretValues) Assert.DoesNotContain(s, r.AllText);
    }

    [Fact]
    public void Without_a_cluster_New_ReplicationFlow_says_how_to_render_instead()
    {
        var r = _ps.Invoke(Scripts.GuideReferences + $"\nNew-ReplicationFlow {Scripts.GuideFlowArgs}");
        var e = r.SingleError;
        Assert.StartsWith("KubeconfigNotFound,", e.FullyQualifiedErrorId);
        Assert.Contains("-OutputPath", e.ErrorDetails?.RecommendedAction ?? "");
    }

    [Fact]
    public void Invalid_flows_are_refused_before_anything_is_written()
    {
        var r = _ps.Invoke(Scripts.GuideReferences + "\nNew-ReplicationFlow -Name Bad_Name -Namespace repl-ns -Source $source -Target $target -Topics 'orders.(' -OutputPath ./out");
        var e = r.SingleError;
        Assert.StartsWith("FlowValidationFailed,", e.FullyQualifiedErrorId);
        Assert.Contains("InvalidFlowName", e.Exception.Message);
        Assert.Contains("InvalidTopicRegex", e.Exception.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "out")));
    }
}
