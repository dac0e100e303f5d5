using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace KafkaReplication.TestBed.Kubernetes;

internal readonly record struct ObjectKey(string Group, string Plural, string Namespace, string Name);

/// <summary>A stored object. Stored JsonObjects are never mutated: every write stores a new instance.</summary>
internal sealed record StoredObject(ResourceType Type, JsonObject Object, Dictionary<(string Manager, string Subresource), ManagedFieldSet> Managers);

/// <summary>A change as the watch machinery sees it; <see cref="Previous"/> lets selector watches turn MODIFIED into ADDED/DELETED.</summary>
internal sealed record StoreEvent(long ResourceVersion, string Type, ResourceType Resource, string Namespace, JsonObject Object, JsonObject? Previous);

/// <summary>Options of a DELETE (metav1.DeleteOptions): preconditions and orphaning.</summary>
internal sealed record DeleteOptions(string? Uid = null, string? ResourceVersion = null, bool Orphan = false);

/// <summary>
/// The emulated etcd plus registry: one lock, one global resourceVersion counter (as etcd's revision), objects keyed
/// by group/plural/namespace/name. Errors are thrown as <see cref="ApiError"/> with the real server's Status body.
/// </summary>
internal sealed partial class ObjectStore(Action<WatchEventRecord> onChanged)
{
    private const int HistoryLimit = 10_000;

    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, StoredObject> objects = [];
    private readonly List<StoreEvent> history = [];
    private readonly ConcurrentQueue<WatchEventRecord> pendingChanges = new();
    private long resourceVersion;
    private long historyFloor;
    private int dispatching;

    public ResourceTypes Types { get; } = new();

    public long CurrentResourceVersion
    {
        get
        {
            lock (gate)
            {
                return resourceVersion;
            }
        }
    }

    public JsonObject? Get(ResourceType type, string ns, string name)
    {
        lock (gate)
        {
            return objects.TryGetValue(Key(type, ns, name), out var stored) ? (JsonObject)stored.Object.DeepClone() : null;
        }
    }

    /// <summary>Objects of a type, in one namespace or (null) all, sorted as etcd keys are; plus the list's resourceVersion.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns)
    {
        lock (gate)
        {
            var items = objects
                .Where(o => o.Key.Group == type.Group && o.Key.Plural == type.Plural && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Value.Object.DeepClone())
                .ToList();
            return (items, resourceVersion);
        }
    }

    public JsonObject Create(ResourceType type, string ns, JsonObject body, bool dryRun) => Write(() =>
    {
        ObjectRules.GenerateName(body);
        var name = ObjectRules.Name(body);
        ObjectRules.ValidateName(type, name);
        RequireNamespace(type, ns);
        var key = Key(type, ns, name!);
        if (objects.ContainsKey(key))
        {
            throw StatusErrors.AlreadyExists(type, name!);
        }

        ObjectRules.PrepareForCreate(type, body, keepStatus: false);
        return Commit(type, key, null, body, [], dryRun);
    });

    /// <summary>PUT. With <paramref name="status"/> only .status changes; otherwise the stored .status is kept.</summary>
    public JsonObject Replace(ResourceType type, string ns, string name, JsonObject body, bool status, bool dryRun) => Write(() =>
    {
        var key = Key(type, ns, name);
        var existing = Existing(key, type, name);
        var wanted = body["metadata"]?["resourceVersion"]?.ToString();
        if (!string.IsNullOrEmpty(wanted) && wanted != existing.Object["metadata"]?["resourceVersion"]?.ToString())
        {
            throw StatusErrors.StaleResourceVersion(type, name);
        }

        return Update(key, existing, Scope(existing.Object, body, status), dryRun);
    });

    /// <summary>Merge, strategic merge or JSON patch, computed by <paramref name="patch"/> from a copy of the live object.</summary>
    public JsonObject Patch(ResourceType type, string ns, string name, Func<JsonObject, JsonNode?> patch, bool status, bool dryRun) => Write(() =>
    {
        var key = Key(type, ns, name);
        var existing = Existing(key, type, name);
        if (patch((JsonObject)existing.Object.DeepClone()) is not JsonObject patched)
        {
            throw StatusErrors.BadRequest("the patch did not produce an object");
        }

        // A resourceVersion in a patch is a precondition, like in a PUT.
        var wanted = patched["metadata"]?["resourceVersion"]?.ToString();
        if (!string.IsNullOrEmpty(wanted) && wanted != existing.Object["metadata"]?["resourceVersion"]?.ToString())
        {
            throw StatusErrors.StaleResourceVersion(type, name);
        }

        return Update(key, existing, Scope(existing.Object, patched, status), dryRun);
    });

    public (JsonObject Object, bool Created) Apply(ResourceType type, string ns, string name, JsonObject config, string manager, bool force, bool status, bool dryRun)
    {
        var created = false;
        var result = Write(() =>
        {
            var key = Key(type, ns, name);
            objects.TryGetValue(key, out var existing);
            if (existing is null)
            {
                if (status)
                {
                    throw StatusErrors.NotFound(type, name);
                }

                ObjectRules.ValidateName(type, name);
                RequireNamespace(type, ns);
            }

            var (next, sets) = ServerSideApply.Apply(existing?.Object, config, (manager, status ? "status" : ""), force,
                existing?.Managers ?? [], status, type, name, ObjectRules.Now());
            if (existing is null)
            {
                ObjectRules.PrepareForCreate(type, next, keepStatus: false);
            }

            created = existing is null;
            return Commit(type, key, existing, next, sets, dryRun);
        });
        return (result, created);
    }

    /// <summary>
    /// DELETE. Objects with finalizers are only marked (deletionTimestamp) until an update empties them; a Namespace
    /// takes everything in it along at once (the namespace controller's work, done synchronously here); dependents whose
    /// owners are all gone are garbage-collected unless orphaned.
    /// </summary>
    public JsonObject Delete(ResourceType type, string ns, string name, DeleteOptions options, bool dryRun) => Write(() =>
    {
        var key = Key(type, ns, name);
        var existing = Existing(key, type, name);
        var metadata = existing.Object["metadata"]!;
        // As the API server: k8s.io/apiserver/pkg/storage/interfaces.go Preconditions.Check fails with an invalid-object
        // storage error, which pkg/storage/errors/storage.go InterpretDeleteError turns into 409 Conflict (a Status body).
        if (options.Uid is { } uid && uid != metadata["uid"]?.ToString())
        {
            throw StatusErrors.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {metadata["uid"]}");
        }

        if (options.ResourceVersion is { } rv && rv != metadata["resourceVersion"]?.ToString())
        {
            throw StatusErrors.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {metadata["resourceVersion"]}");
        }

        if (dryRun)
        {
            return (JsonObject)existing.Object.DeepClone();
        }

        if (type is { Group: "", Plural: "namespaces" })
        {
            foreach (var inside in objects.Where(o => o.Key.Namespace == name && o.Value.Type.Namespaced).ToList())
            {
                Remove(inside.Key, inside.Value, options.Orphan);
            }

            var terminating = Remove(key, existing, options.Orphan);
            ObjectRules.Metadata(terminating)["deletionTimestamp"] = ObjectRules.Now();
            terminating["status"] = new JsonObject { ["phase"] = "Terminating" };
            return terminating;
        }

        return DeleteOrMark(key, existing, options.Orphan);
    });

    /// <summary>Create or replace an object, status included when given, as a controller writing through its own client would.</summary>
    public JsonObject Upsert(ResourceType type, JsonObject obj) => Write(() =>
    {
        var name = ObjectRules.Name(obj) ?? "";
        var ns = type.Namespaced ? obj["metadata"]?["namespace"]?.ToString() ?? "" : "";
        if (type.Namespaced && ns.Length == 0)
        {
            throw StatusErrors.BadRequest($"{type.Kind} \"{name}\" needs metadata.namespace");
        }

        var key = Key(type, ns, name);
        if (!objects.TryGetValue(key, out var existing))
        {
            ObjectRules.ValidateName(type, name);
            RequireNamespace(type, ns);
            ObjectRules.PrepareForCreate(type, obj, keepStatus: true);
            return Commit(type, key, null, obj, [], dryRun: false);
        }

        // An object without a status leaves the stored one alone, so a reconcile loop that upserts spec and reports
        // status separately settles into no-op writes.
        if (!obj.ContainsKey("status") && existing.Object["status"] is { } status)
        {
            obj["status"] = status.DeepClone();
        }

        return Update(key, existing, obj, dryRun: false);
    });

    public JsonObject SetStatus(ResourceType type, string ns, string name, JsonObject status) => Write(() =>
    {
        var key = Key(type, ns, name);
        var existing = Existing(key, type, name);
        var next = (JsonObject)existing.Object.DeepClone();
        next["status"] = status.DeepClone();
        return Update(key, existing, next, dryRun: false);
    });

    private static ObjectKey Key(ResourceType type, string ns, string name) =>
        new(type.Group, type.Plural, type.Namespaced ? ns : "", name);

    // Main-resource writes keep the stored status; /status writes change nothing but status.
    private static JsonObject Scope(JsonObject live, JsonObject incoming, bool status)
    {
        var next = (JsonObject)(status ? live : incoming).DeepClone();
        var source = status ? incoming : live;
        if (source["status"] is { } kept)
        {
            next["status"] = kept.DeepClone();
        }
        else
        {
            next.Remove("status");
        }

        return next;
    }

    private StoredObject Existing(ObjectKey key, ResourceType type, string name) =>
        objects.TryGetValue(key, out var existing) ? existing : throw StatusErrors.NotFound(type, name);

    private void RequireNamespace(ResourceType type, string ns)
    {
        if (type.Namespaced && !objects.ContainsKey(Key(ResourceTypes.Namespaces, "", ns)))
        {
            throw StatusErrors.NamespaceNotFound(ns);
        }
    }

    private JsonObject Update(ObjectKey key, StoredObject existing, JsonObject next, bool dryRun)
    {
        var managers = existing.Managers.ToDictionary(
            m => m.Key,
            m => new ManagedFieldSet { Fields = [.. m.Value.Fields], ApiVersion = m.Value.ApiVersion, Time = m.Value.Time });
        ServerSideApply.ReleaseChangedFields(existing.Object, next, managers);
        return Commit(existing.Type, key, existing, next, managers, dryRun);
    }

    /// <summary>
    /// Stamps server-owned metadata and stores the object. An unchanged object is not written: no new
    /// resourceVersion and no event, as the real server skips no-op updates.
    /// </summary>
    private JsonObject Commit(ResourceType type, ObjectKey key, StoredObject? existing, JsonObject candidate,
        Dictionary<(string Manager, string Subresource), ManagedFieldSet> managers, bool dryRun, bool markDeleted = false)
    {
        candidate["apiVersion"] = candidate["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var apiVersion) && apiVersion.Length > 0
            ? apiVersion : type.ApiVersion;
        candidate["kind"] = type.Kind;
        ObjectRules.FoldStringData(type, candidate);
        if (!markDeleted && Types.CheckSchema(type, candidate) is { } invalid)
        {
            throw StatusErrors.Invalid(type.Kind, type.Group, key.Name, invalid.Field, "FieldValueRequired", invalid.Detail);
        }

        var incoming = ObjectRules.Metadata(candidate);
        var previous = existing?.Object["metadata"] as JsonObject;
        var metadata = new JsonObject { ["name"] = key.Name };
        Copy(incoming, metadata, "generateName");
        if (type.Namespaced)
        {
            metadata["namespace"] = key.Namespace;
        }

        if (previous is null)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["resourceVersion"] = "";
            metadata["generation"] = 1L;
            metadata["creationTimestamp"] = ObjectRules.Now();
        }
        else
        {
            Copy(previous, metadata, "uid", "resourceVersion");
            var generation = previous["generation"] is JsonValue g && long.TryParse(g.ToJsonString(), CultureInfo.InvariantCulture, out var n) ? n : 1;
            var bump = markDeleted || ObjectRules.SpecChanged(existing!.Object, candidate);
            metadata["generation"] = bump ? generation + 1 : generation;
            Copy(previous, metadata, "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds");
        }

        if (markDeleted)
        {
            metadata["deletionTimestamp"] = ObjectRules.Now();
            metadata["deletionGracePeriodSeconds"] = 0;
        }

        Copy(incoming, metadata, "labels", "annotations", "ownerReferences", "finalizers");
        foreach (var (name, value) in incoming)
        {
            if (!metadata.ContainsKey(name) && name is not ("resourceVersion" or "uid" or "generation" or "creationTimestamp"
                or "deletionTimestamp" or "deletionGracePeriodSeconds" or "managedFields" or "selfLink" or "namespace" or "name"))
            {
                metadata[name] = value?.DeepClone();
            }
        }

        if (managers.Count > 0)
        {
            metadata["managedFields"] = ServerSideApply.Render(managers);
        }

        candidate["metadata"] = metadata;
        if (existing is not null && JsonNode.DeepEquals(existing.Object, candidate))
        {
            return (JsonObject)existing.Object.DeepClone();
        }

        if (dryRun)
        {
            if (previous is null)
            {
                metadata.Remove("resourceVersion");
            }

            return (JsonObject)candidate.DeepClone();
        }

        if (existing is not null && metadata["deletionTimestamp"] is not null && !ObjectRules.Finalizers(candidate).Any())
        {
            // The last finalizer is gone: the deletion that was waiting for it completes.
            return Remove(key, existing with { Object = candidate }, orphan: false);
        }

        metadata["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
        objects[key] = new StoredObject(type, candidate, managers);
        Emit(existing is null ? "ADDED" : "MODIFIED", type, key.Namespace, candidate, existing?.Object);
        return (JsonObject)candidate.DeepClone();
    }

    private static void Copy(JsonObject from, JsonObject to, params string[] names)
    {
        foreach (var name in names)
        {
            if (from[name] is { } value)
            {
                to[name] = value.DeepClone();
            }
        }
    }

    private JsonObject DeleteOrMark(ObjectKey key, StoredObject existing, bool orphan)
    {
        if (ObjectRules.Finalizers(existing.Object).Any())
        {
            return existing.Object["metadata"]?["deletionTimestamp"] is null
                ? Commit(existing.Type, key, existing, (JsonObject)existing.Object.DeepClone(), existing.Managers, dryRun: false, markDeleted: true)
                : (JsonObject)existing.Object.DeepClone();
        }

        return Remove(key, existing, orphan);
    }

    private JsonObject Remove(ObjectKey key, StoredObject existing, bool orphan)
    {
        objects.Remove(key);
        var deleted = (JsonObject)existing.Object.DeepClone();
        ObjectRules.Metadata(deleted)["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
        Emit("DELETED", existing.Type, key.Namespace, deleted, existing.Object);
        if (!orphan && deleted["metadata"]?["uid"]?.ToString() is { } uid)
        {
            CollectGarbage(uid);
        }

        return (JsonObject)deleted.DeepClone();
    }

    // The garbage collector deletes dependents once none of their ownerReferences points at a live object.
    private void CollectGarbage(string ownerUid)
    {
        var live = objects.Values.Select(o => o.Object["metadata"]?["uid"]?.ToString()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var orphans = objects.Where(o => o.Value.Object["metadata"]?["ownerReferences"] is JsonArray owners
                && owners.Any(r => r?["uid"]?.ToString() == ownerUid)
                && owners.All(r => !live.Contains(r?["uid"]?.ToString() ?? "")))
            .ToList();
        foreach (var (key, stored) in orphans)
        {
            if (objects.ContainsKey(key))
            {
                DeleteOrMark(key, stored, orphan: false);
            }
        }
    }

    private void Emit(string type, ResourceType resource, string ns, JsonObject obj, JsonObject? previous)
    {
        var change = new StoreEvent(resourceVersion, type, resource, ns, (JsonObject)obj.DeepClone(), (JsonObject?)previous?.DeepClone());
        history.Add(change);
        if (history.Count > HistoryLimit)
        {
            historyFloor = history[999].ResourceVersion;
            history.RemoveRange(0, 1000);
        }

        Publish(change);
        pendingChanges.Enqueue(new WatchEventRecord(type, (JsonObject)obj.DeepClone()));
    }

    /// <summary>Runs a write under the lock, then raises Changed for what it stored, outside the lock.</summary>
    private JsonObject Write(Func<JsonObject> write)
    {
        try
        {
            lock (gate)
            {
                return write();
            }
        }
        finally
        {
            DispatchChanges();
        }
    }

    // One thread at a time delivers Changed, in store order; a handler that writes again just queues more events.
    private void DispatchChanges()
    {
        while (!pendingChanges.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref dispatching, 1, 0) != 0)
            {
                return;
            }

            try
            {
                while (pendingChanges.TryDequeue(out var change))
                {
                    try
                    {
                        onChanged(change);
                    }
                    catch (Exception e)
                    {
                        Trace.TraceError($"KubernetesEmulator.Changed handler failed: {e}");
                    }
                }
            }
            finally
            {
                Volatile.Write(ref dispatching, 0);
            }
        }
    }
}
