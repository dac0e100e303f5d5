namespace KafkaReplication.Engine.Connect;

/// <summary>How the Kafka Connect REST API of a flow is reached from outside the cluster.</summary>
public enum ConnectAccess
{
    /// <summary>A port-forward to a ready Connect pod through the Kubernetes API (works despite Strimzi's NetworkPolicy on 8083).</summary>
    PortForward,
    /// <summary>The API server's service proxy to &lt;connect&gt;-connect-api:8083 (blocked by Strimzi's NetworkPolicy on most clusters).</summary>
    ServiceProxy,
    /// <summary>A URL the user gives (-ConnectUri), e.g. through an ingress or a local kubectl port-forward.</summary>
    Direct,
}

/// <summary>An HttpClient bound to one Connect REST endpoint, and a description of the route for verbose output.</summary>
public sealed class ConnectTransport : IDisposable
{
    public ConnectTransport(HttpClient http, string route)
    {
        Http = http;
        Route = route;
    }

    public HttpClient Http { get; }
    /// <summary>e.g. "port-forward to pod ns/name-connect-0:8083" (never a credential).</summary>
    public string Route { get; }

    public void Dispose() => Http.Dispose();
}
