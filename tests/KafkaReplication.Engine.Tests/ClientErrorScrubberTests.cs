using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Autorest;
using KafkaReplication.Engine.Errors;
using KafkaReplication.Engine.Manifests;
using KafkaReplication.Engine.Model;
using Xunit;

namespace KafkaReplication.Engine.Tests;

/// <summary>What a ReplicationException keeps of a client exception, its target and its text.</summary>
public sealed class ClientErrorScrubberTests
{
    private const string Password = "Pw-Unit-4711!";
    private static readonly string Base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Password));

    private static HttpOperationException Refused() => new("Operation returned an invalid status code 'InternalServerError'")
    {
        Request = new HttpRequestMessageWrapper(new HttpRequestMessage(HttpMethod.Patch, "https://api/api/v1/namespaces/ns/secrets/s"),
            "{\"data\":{\"pass\":\"" + Base64 + "\"}}"),
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.InternalServerError), "{\"message\":\"boom\"}"),
        Data = { ["body"] = Password },
    };

    [Fact]
    public void A_client_exception_is_kept_as_its_type_status_and_message_only()
    {
        var e = new ReplicationException(ReplicationErrorKind.OperationFailed, "X", "failed", "Secret ns/s", new AggregateException(Refused()));
        var inner = Assert.IsType<ClientError>(e.InnerException);
        var client = Assert.IsType<ClientError>(inner.InnerException);
        Assert.Equal("k8s.Autorest.HttpOperationException", client.ClientType);
        Assert.Equal(500, client.StatusCode);
        Assert.Empty(client.Data);
        Assert.DoesNotContain(Base64, e.ToString());
        Assert.DoesNotContain(Password, e.ToString());
    }

    [Fact]
    public void Targets_that_can_hold_data_become_names_and_urls_lose_their_user_info()
    {
        var secret = new ManifestObject(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "s", ["namespace"] = "ns" },
            ["data"] = new JsonObject { ["pass"] = Base64 },
        });
        Assert.Equal("Secret ns/s", new ReplicationException(ReplicationErrorKind.OperationFailed, "X", "m", secret).Target);
        Assert.Equal("Secret ns/s", new ReplicationException(ReplicationErrorKind.OperationFailed, "X", "m", secret.Body).Target);
        Assert.Equal(new Uri("https://connect.example/"), new ReplicationException(ReplicationErrorKind.OperationFailed, "X", "m", new Uri($"https://ops:{Uri.EscapeDataString(Password)}@connect.example/")).Target);
        Assert.Equal("HttpRequestMessage", new ReplicationException(ReplicationErrorKind.OperationFailed, "X", "m", new HttpRequestMessage()).Target);
        Assert.Equal(42, new ReplicationException(ReplicationErrorKind.OperationFailed, "X", "m", 42).Target);
    }

    [Theory]
    [InlineData("GET https://ops:SECRET@connect.example/connectors failed", "https://***@connect.example/connectors")]
    [InlineData("header Authorization: Basic b3BzOlNFQ1JFVA== refused", "Basic ***")]
    [InlineData("sasl.jaas.config=... username=\"u\" password=\"SECRET\";", "password=\"***\"")]
    [InlineData("ssl.truststore.password=SECRET", "ssl.truststore.password=***")]
    [InlineData("{\"kind\":\"Secret\",\"data\":{\"pass\":\"U0VDUkVU\"}}", "\"data\":{***}")]
    public void Messages_lose_credentials_in_the_usual_shapes(string message, string expected)
    {
        var text = new ReplicationException(ReplicationErrorKind.OperationFailed, "X", message).Message;
        Assert.Contains(expected, text);
        Assert.DoesNotContain("SECRET", text);
        Assert.DoesNotContain("U0VDUkVU", text);
    }

    [Fact]
    public void A_Secrets_values_are_taken_out_of_the_whole_chain()
    {
        var secret = new ManifestObject(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "s", ["namespace"] = "ns" },
            ["data"] = new JsonObject { ["pass"] = Base64 },
        });
        var echoed = new ReplicationException(ReplicationErrorKind.InvalidArgument, "KubernetesInvalid", $"Secret ns/s: value {Password} is invalid", "Secret ns/s",
            new InvalidOperationException($"server said {Base64}"));
        var safe = ClientErrorScrubber.Without(echoed, ClientErrorScrubber.SecretValuesOf(secret));
        Assert.Equal("KubernetesInvalid", safe.ErrorId);
        Assert.DoesNotContain(Password, safe.ToString());
        Assert.DoesNotContain(Base64, safe.ToString());
    }

    // Confluent.Kafka lives in the Kafka client's own context, which the engine does not reference: the code is read by name.
    [Fact]
    public void A_Kafka_exception_keeps_its_error_code_subclasses_too()
    {
        var plain = (ClientError)ClientErrorScrubber.SafeInner(new Confluent.Kafka.KafkaException(Confluent.Kafka.ErrorCode.Local_Transport))!;
        var subclass = (ClientError)ClientErrorScrubber.SafeInner(
            new Confluent.Kafka.KafkaTxnRequiresAbortException(new Confluent.Kafka.Error(Confluent.Kafka.ErrorCode.InvalidTxnState)))!;

        Assert.Equal(("Confluent.Kafka.KafkaException", "Local_Transport"), (plain.ClientType, plain.ErrorCode));
        Assert.Equal("InvalidTxnState", subclass.ErrorCode);
    }
}
