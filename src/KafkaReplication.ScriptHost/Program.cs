using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using KafkaReplication.ScriptHost;

// kr-script <script.ps1> [arguments...]: imports the built module folder and runs the script non-interactively.
// Exit code: 0 on success, 1 when the script wrote errors or threw, 2 on bad usage.
if (args.Length == 0 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: kr-script <script.ps1> [arguments...]");
    return 2;
}
var modulePath = typeof(ConsoleHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModulePath").Value!;
var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; ps.BeginStop(null, null); };

// Plain text when not on a terminal; Out-Default renders the module's format views.
ps.AddScript("if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }; $ErrorActionPreference = 'Stop'; Import-Module $args[0]")
  .AddArgument(modulePath);
ps.Invoke();
ps.Commands.Clear();
ps.AddCommand(Path.GetFullPath(args[0]));
foreach (var a in args.Skip(1)) ps.AddArgument(a);
ps.AddCommand("Out-Default");
try
{
    ps.Invoke();
}
catch (RuntimeException e)
{
    Console.Error.WriteLine($"{e.ErrorRecord?.FullyQualifiedErrorId}: {e.Message}");
    return 1;
}
foreach (var e in ps.Streams.Error) Console.Error.WriteLine($"{e.FullyQualifiedErrorId}: {e.Exception.Message}");
return ps.HadErrors || ps.Streams.Error.Count > 0 ? 1 : host.ExitCode ?? 0;
