using KafkaReplication.Engine.Model;
using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Issue 9, the smaller inputs: values that would change meaning on their way into JAAS or MirrorMaker's config.</summary>
public sealed class InputSafetyTests : IClassFixture<TestFiles>
{
    private readonly TestFiles _f;
    public InputSafetyTests(TestFiles files) => _f = files;

    private static ClusterReferenceFactory.Input Sasl(string user, string password) => new()
    {
        Alias = "src", BootstrapServers = "k:9092", SecurityProtocol = SecurityProtocol.SaslPlaintext, SaslMechanism = SaslMechanism.Plain,
        UserName = user, Password = new SecretValue(password),
    };

    [Theory]
    [InlineData("replicator\nadmin", "pw")]
    [InlineData("replicator", "pw\r\nuser_admin=\"x\"")]
    [InlineData("replicator", "pw\r")]
    public void A_line_break_in_a_SASL_user_name_or_password_is_refused_without_naming_the_value(string user, string password)
    {
        var e = Assert.Throws<ReplicationException>(() => ClusterReferenceFactory.Create(Sasl(user, password)));
        Assert.Equal(("CredentialHasLineBreak", ReplicationErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.DoesNotContain(password, e.Message);
    }

    [Fact]
    public void Quotes_and_backslashes_without_a_line_break_are_accepted_the_renderer_escapes_them() =>
        Assert.Equal("replicator", ClusterReferenceFactory.Create(Sasl("replicator", "pw\" x=\\y")).UserName);

    private IEnumerable<string> Errors(ReplicationFlowDefinition f) =>
        FlowValidator.Validate(f).Where(x => x.Severity == FindingSeverity.Error).Select(x => x.Code);

    private ReplicationFlowDefinition Plain() => _f.Flow(_f.Cluster("src", SecurityProtocol.Plaintext), _f.Cluster("tgt", SecurityProtocol.Plaintext));

    [Fact]
    public void A_comma_inside_a_regex_construct_and_a_config_provider_reference_in_a_group_pattern_are_refused()
    {
        Assert.Contains("InvalidTopicRegex", Errors(Plain() with { Topics = new[] { "orders{1,3}" } }));
        Assert.Contains("InvalidGroupRegex", Errors(Plain() with { Groups = new[] { "bill{1,3}" } }));
        Assert.Contains("InvalidTopicRegex", Errors(Plain() with { Topics = new[] { "orders[,.]x" } }));
        Assert.Empty(Errors(Plain() with { Topics = new[] { "low.*,hi.*" } })); // a comma between patterns: MirrorMaker's list
        Assert.Contains("InvalidGroupRegex", Errors(Plain() with { Groups = new[] { "${secret:repl/x:password}" } }));
        Assert.Empty(Errors(Plain() with { Topics = new[] { "orders{3}", "audit" }, Groups = new[] { "bill.*", "\\$x" } }));
    }
}
