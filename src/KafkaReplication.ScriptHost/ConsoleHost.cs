using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace KafkaReplication.ScriptHost;

/// <summary>A minimal non-interactive console host: output to stdout, errors and warnings to stderr, no prompts.</summary>
internal sealed partial class ConsoleHost : PSHost
{
    private readonly ConsoleUI _ui = new();
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "KafkaReplicationScriptHost";
    public override Version Version => new(1, 0);
    public override PSHostUserInterface UI => _ui;
    public int? ExitCode { get; private set; }
    public override void EnterNestedPrompt() => throw new PromptingException("This host is non-interactive.");
    public override void ExitNestedPrompt() { }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    private sealed partial class ConsoleUI : PSHostUserInterface
    {
        // The hosted engine emits ANSI styling even with PlainText rendering; logs and pipelines want plain text.
        private static readonly bool Plain = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is not null;

        [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
        private static partial System.Text.RegularExpressions.Regex Ansi();

        private static string Out(string s) => Plain ? Ansi().Replace(s, "") : s;

        public override PSHostRawUserInterface RawUI { get; } = new Raw();
        public override void Write(string value) => Console.Out.Write(Out(value));
        public override void Write(ConsoleColor f, ConsoleColor b, string value) => Console.Out.Write(Out(value));
        public override void WriteLine(string value) => Console.Out.WriteLine(Out(value));
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
        public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override string ReadLine() => throw new PromptingException("This host is non-interactive: use -Force or -Confirm:$false.");
        public override SecureString ReadLineAsSecureString() => throw new PromptingException("This host is non-interactive.");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new PromptingException("This host is non-interactive: pass every mandatory parameter.");
        public override PSCredential PromptForCredential(string c, string m, string u, string t) => throw new PromptingException("This host is non-interactive.");
        public override PSCredential PromptForCredential(string c, string m, string u, string t, PSCredentialTypes a, PSCredentialUIOptions o) =>
            throw new PromptingException("This host is non-interactive.");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new PromptingException($"This host is non-interactive and cannot confirm '{message}': use -Force or -Confirm:$false.");
    }

    private sealed class Raw : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Size BufferSize { get; set; } = new(160, 3000);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(160, 3000);
        public override Size MaxWindowSize => new(160, 3000);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(160, 50);
        public override string WindowTitle { get; set; } = "";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PromptingException("This host is non-interactive.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
