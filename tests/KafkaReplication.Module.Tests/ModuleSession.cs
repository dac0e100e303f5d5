using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace KafkaReplication.Module.Tests;

/// <summary>The result of one script run: output objects and every stream, plus what the host showed.</summary>
public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ProgressRecord> Progress,
    string HostText,
    RuntimeException? Terminating)
{
    /// <summary>The one error the run produced, statement-terminating (error stream) or script-terminating.</summary>
    public ErrorRecord SingleError => Terminating?.ErrorRecord ?? Errors.Single();

    /// <summary>Everything a user could see or capture, as text (for secret scans).</summary>
    public string AllText => string.Join("\n", Output.Select(o => o?.ToString() ?? "")
        .Concat(Errors.Select(e => $"{e.FullyQualifiedErrorId} {e.Exception.Message} {e.ErrorDetails?.Message} {e.TargetObject}"))
        .Concat(Verbose).Concat(Warnings).Concat(Progress.Select(p => $"{p.Activity} {p.StatusDescription}"))
        .Append(HostText).Append(Terminating?.ErrorRecord?.Exception?.Message ?? ""));
}

/// <summary>
/// A runspace with the built module folder (out/KafkaReplication) imported, as a user would import it.
/// The assemblies load once per process, so every test in this project shares that one module folder.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    public static readonly string RepoRoot = typeof(ModuleSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;
    public static readonly string ModulePath = Path.Combine(RepoRoot, "out", "KafkaReplication", "KafkaReplication.psd1");

    private readonly Runspace _runspace;
    private static HashSet<string>? _catalogue;
    public RecordingHost Host { get; } = new();

    public ModuleSession(string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var iss = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(Host, iss);
        _runspace.Open();
        if (workingDirectory is not null) _runspace.SessionStateProxy.Path.SetLocation(workingDirectory);
        var setup = $"Import-Module '{ModulePath}' -ErrorAction Stop";
        var result = Invoke(setup);
        if (result.Terminating is not null || result.Errors.Count > 0)
            throw new InvalidOperationException($"Import-Module failed: {result.Terminating?.Message} {string.Join("; ", result.Errors)}");
        // The hosted engine has only Microsoft.PowerShell.Core; these stand in for the Security module's commands
        // that examples use to make credentials, non-interactively.
        Invoke(Shims);
        // Test clusters come and go within seconds, and a new mock broker may get a port a disposed one had: a client
        // kept from an earlier test could answer for the wrong cluster. Reuse is off here; ClientReuseTests turn it on.
        Invoke("(Get-EngineType KafkaReplication.Engine.Session.ClientPool)::Shared.IdleTimeout = [timespan]::Zero");
        // The module's types live in its own load context (not resolvable by name here): read the catalogue from
        // docs/errors.md, which an engine test keeps equal to KafkaReplication.Engine.ErrorIds.
        _catalogue ??= File.ReadLines(Path.Combine(RepoRoot, "docs", "errors.md"))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\| `(\w+)` \|"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        if (_catalogue.Count < 50) throw new InvalidOperationException("docs/errors.md lists too few error ids: the catalogue could not be read.");
        if (environment is not null)
            foreach (var (k, v) in environment) Invoke($"$env:{k} = '{v.Replace("'", "''")}'");
    }

    private const string Shims = """
        function global:ConvertTo-SecureString {
            param([Parameter(Mandatory, Position = 0, ValueFromPipeline)][string]$String, [switch]$AsPlainText, [switch]$Force)
            process { $s = [securestring]::new(); foreach ($c in $String.ToCharArray()) { $s.AppendChar($c) }; $s.MakeReadOnly(); $s }
        }
        function global:Get-Credential {
            param([Parameter(Position = 0)][string]$UserName = 'replicator', [string]$Message)
            $p = if ($env:TEST_CREDENTIAL_PASSWORD) { $env:TEST_CREDENTIAL_PASSWORD } else { 'test-credential-password' }
            [pscredential]::new($UserName, (ConvertTo-SecureString $p -AsPlainText -Force))
        }
        # The module's engine lives in the module's own load context: its types do not resolve by name
        # ([KafkaReplication.Engine...]); tests reach them through the cmdlets' assembly.
        function global:Get-EngineType([Parameter(Mandatory)][string]$Name) {
            $module = (Get-Command Get-ReplicationFlow).ImplementingType.Assembly
            $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($module)
            $context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('KafkaReplication.Engine')).GetType($Name, $true)
        }
        """;

    public ScriptResult Invoke(string script, IDictionary<string, object?>? variables = null, CancellationToken cancel = default)
    {
        Host.Recorded.Lines.Clear();
        Host.Recorded.Progress.Clear();
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
            foreach (var (k, v) in variables) _runspace.SessionStateProxy.SetVariable(k, v);
        ps.AddScript(script);
        Collection<PSObject> output = new();
        RuntimeException? terminating = null;
        using var reg = cancel.Register(() => ps.BeginStop(null, null));
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        foreach (var record in ps.Streams.Error.Append(terminating?.ErrorRecord)) CheckCatalogued(record);
        return new ScriptResult(
            output.ToList(),
            ps.Streams.Error.ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            // Progress records reach the host (which draws the bar), not always the stream: take both.
            ps.Streams.Progress.Concat(Host.Recorded.Progress.ToList()).ToList(),
            Host.Recorded.Text,
            terminating);
    }

    /// <summary>A pipeline on this session's runspace for tests that drive it themselves (BeginInvoke, Stop).</summary>
    public PowerShell Pipeline(string script)
    {
        var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        return ps;
    }

    /// <summary>
    /// Every error a module cmdlet reports has an id from the module's catalogue (ErrorIds, docs/errors.md), never a
    /// raw .NET exception's name (issue 8: "every failure is a module error"). PowerShell's own parameter binding
    /// errors name the cmdlet too, and are left out.
    /// </summary>
    private static void CheckCatalogued(ErrorRecord? record)
    {
        if (record is null || _catalogue is null || record.Exception is ParameterBindingException) return;
        var parts = record.FullyQualifiedErrorId.Split(',', 2);
        if (parts.Length < 2 || !parts[1].StartsWith("KafkaReplication.", StringComparison.Ordinal)) return;
        if (parts[0].StartsWith("System.", StringComparison.Ordinal) || !_catalogue.Contains(parts[0]))
            throw new Xunit.Sdk.XunitException($"Error id '{parts[0]}' ({record.FullyQualifiedErrorId}: {record.Exception.Message}) is not in the module's error catalogue (KafkaReplication.Engine.ErrorIds).");
    }

    public void Dispose() => _runspace.Dispose();
}
