using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace KafkaReplication.Module.Tests;

/// <summary>
/// A PSHost that records what a user would see (-WhatIf text, prompts, progress) and answers prompts from a
/// script of choices. Unanswerable prompts throw PromptingException, as a non-interactive host does.
/// </summary>
public sealed partial class RecordingHost : PSHost
{
    private readonly RecordingUI _ui = new();
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "KafkaReplicationTestHost";
    public override Version Version => new(1, 0);
    public override PSHostUserInterface UI => _ui;
    public override void EnterNestedPrompt() => throw new PromptingException("nested prompts are not supported");
    public override void ExitNestedPrompt() { }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    public RecordingUI Recorded => _ui;

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    internal static partial Regex Ansi();

    public sealed class RecordingUI : PSHostUserInterface
    {
        private readonly object _gate = new();
        public List<string> Lines { get; } = new();
        public List<ProgressRecord> Progress { get; } = new();
        public List<string> Prompts { get; } = new();
        /// <summary>Answers for PromptForChoice (index into the choices); empty → PromptingException.</summary>
        public Queue<int> Choices { get; } = new();
        public string Text { get { lock (_gate) return Ansi().Replace(string.Join("\n", Lines), ""); } }

        public override PSHostRawUserInterface RawUI { get; } = new RawUI();
        private void Add(string s) { lock (_gate) Lines.Add(s); }
        public override void Write(string value) => Add(value);
        public override void Write(ConsoleColor f, ConsoleColor b, string value) => Add(value);
        public override void WriteLine(string value) => Add(value);
        public override void WriteErrorLine(string value) => Add("ERROR: " + value);
        public override void WriteDebugLine(string message) => Add("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Add("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Add("WARNING: " + message);
        /// <summary>Raised for each progress record, so a test can stop a command at a known point instead of on a timer.</summary>
        public event Action<ProgressRecord>? ProgressWritten;
        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            lock (_gate) Progress.Add(record);
            ProgressWritten?.Invoke(record);
        }
        public override string ReadLine() => throw new PromptingException("no input in tests");
        public override SecureString ReadLineAsSecureString() => throw new PromptingException("no input in tests");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new PromptingException($"prompt not supported: {caption} {message}");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new PromptingException("credential prompt not supported");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new PromptingException("credential prompt not supported");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (_gate)
            {
                Prompts.Add($"{caption}|{message}");
                if (Choices.Count == 0) throw new PromptingException($"unexpected prompt: {caption} {message}");
                return Choices.Dequeue();
            }
        }
    }

    private sealed class RawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Size BufferSize { get; set; } = new(200, 1000);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.White;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(200, 1000);
        public override Size MaxWindowSize => new(200, 1000);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(200, 1000);
        public override string WindowTitle { get; set; } = "";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PromptingException("no keys in tests");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
