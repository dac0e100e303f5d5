using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>One open watch: the events it starts with, then every later change of its type (and namespace).</summary>
internal sealed class WatchSubscription(ResourceType type, string? ns, IReadOnlyList<StoreEvent> initial, Action<WatchSubscription> unsubscribe) : IDisposable
{
    public ResourceType Type { get; } = type;

    public string? Namespace { get; } = ns;

    public IReadOnlyList<StoreEvent> Initial { get; } = initial;

    public Channel<StoreEvent> Events { get; } = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });

    public bool Matches(StoreEvent change) =>
        change.Resource.Group == Type.Group && change.Resource.Plural == Type.Plural && (Namespace is null || change.Namespace == Namespace);

    public void Dispose()
    {
        unsubscribe(this);
        Events.Writer.TryComplete();
    }
}

internal sealed partial class ObjectStore
{
    private readonly List<WatchSubscription> subscriptions = [];

    /// <summary>
    /// Opens a watch atomically with its starting point, so no change falls between the two. Without a
    /// resourceVersion (or with "0") it starts with the current objects as synthetic ADDED events; otherwise with
    /// the changes after that version, or 410 Gone when those are no longer kept (the API concepts doc,
    /// "Efficient detection of changes").
    /// </summary>
    public WatchSubscription Subscribe(ResourceType type, string? ns, string? fromResourceVersion)
    {
        lock (gate)
        {
            bool Matches(ObjectKey key) => key.Group == type.Group && key.Plural == type.Plural && (ns is null || key.Namespace == ns);

            List<StoreEvent> initial;
            if (string.IsNullOrEmpty(fromResourceVersion) || fromResourceVersion == "0")
            {
                initial = objects.Where(o => Matches(o.Key))
                    .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                    .Select(o => new StoreEvent(resourceVersion, "ADDED", o.Value.Type, o.Key.Namespace, (JsonObject)o.Value.Object.DeepClone(), null))
                    .ToList();
            }
            else if (!long.TryParse(fromResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
            {
                throw StatusErrors.BadRequest($"invalid resource version: {fromResourceVersion}");
            }
            else if (from < historyFloor)
            {
                throw StatusErrors.Gone($"too old resource version: {from} ({historyFloor + 1})");
            }
            else
            {
                initial = history.Where(e => e.ResourceVersion > from
                    && Matches(new ObjectKey(e.Resource.Group, e.Resource.Plural, e.Namespace, ""))).ToList();
            }

            var subscription = new WatchSubscription(type, ns, initial, Unsubscribe);
            subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Ends every open watch (the emulator is shutting down).</summary>
    public void CloseAllWatches()
    {
        lock (gate)
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Events.Writer.TryComplete();
            }

            subscriptions.Clear();
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (gate)
        {
            subscriptions.Remove(subscription);
        }
    }

    private void Publish(StoreEvent change)
    {
        foreach (var subscription in subscriptions)
        {
            if (subscription.Matches(change))
            {
                subscription.Events.Writer.TryWrite(change);
            }
        }
    }
}
