using KafkaReplication.Engine.Validation;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>Topic filters collide only with a witness: a topic name both patterns match in full.</summary>
public sealed class TopicOverlapTests
{
    [Theory]
    [InlineData("test.*", "test.*", "test")]
    [InlineData("test.*", "test.orders", "test.orders")]        // a literal in one filter matched by the other's regex
    [InlineData("orders.*", @".*\.eu", "orders.eu")]             // wildcards filled with the other pattern's pieces
    [InlineData("(eu|us)-orders", "us-.*", "us-orders")]
    [InlineData("[a-c]x", "bx", "bx")]
    [InlineData(@"audit\d+", "audit7|audit-x", "audit7")]
    [InlineData("hi.*", "high.*", "high")]
    [InlineData("low.*", "high.*", null)]
    [InlineData("test.*", "prod.*", null)]
    [InlineData(@"orders\.eu", "orders.us", null)]
    [InlineData("a.*z", "ab.*", "abz")]
    public void Finds_a_topic_both_filters_replicate(string a, string b, string? witness)
    {
        var found = TopicOverlap.Witness(a, b);
        if (witness is null)
        {
            Assert.Null(found);
            return;
        }
        // Any name both match proves the collision (the expected one is an example of such a name).
        Assert.NotNull(found);
        foreach (var name in new[] { found!, witness })
        {
            Assert.True(TopicOverlap.MatchesAny(new[] { a }, name), $"'{a}' does not match '{name}'");
            Assert.True(TopicOverlap.MatchesAny(new[] { b }, name), $"'{b}' does not match '{name}'");
        }
    }

    [Fact]
    public void Known_topics_find_what_the_generator_cannot_parse()
    {
        // An inline flag is beyond the sample generator: without topic names there is no witness, with them there is.
        Assert.Null(TopicOverlap.Witness("(?i)ORDERS", "ord.*"));
        Assert.Equal("orders", TopicOverlap.Witness("(?i)ORDERS", "ord.*", new[] { "payments", "orders" }));
    }

    [Fact]
    public void Matching_is_on_the_whole_name_as_MirrorMaker_does()
    {
        Assert.False(TopicOverlap.MatchesAny(new[] { "test" }, "test.orders"));
        Assert.True(TopicOverlap.MatchesAny(new[] { "test", "test\\..*" }, "test.orders"));
        Assert.Null(TopicOverlap.Witness("test", "test2"));
    }
}
