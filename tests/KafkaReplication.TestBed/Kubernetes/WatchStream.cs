using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>
/// Writes a watch response: one JSON event per line (<c>{"type":..,"object":..}</c>), flushed as it happens, over a
/// chunked response that stays open until timeoutSeconds, the client leaving, or the emulator stopping.
/// </summary>
internal static class WatchStream
{
    public static async Task RunAsync(HttpContext context, WatchSubscription subscription, LabelSelector labels, FieldSelector fields,
        TimeSpan? timeout, CancellationToken shutdown)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown);
        if (timeout is { } t)
        {
            stop.CancelAfter(t);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";

        // Send the headers now: clients return from the watch call once they arrive, before any event.
        await context.Response.Body.FlushAsync(stop.Token);
        try
        {
            foreach (var change in subscription.Initial)
            {
                await WriteAsync(context, change, labels, fields, stop.Token);
            }

            await foreach (var change in subscription.Events.Reader.ReadAllAsync(stop.Token))
            {
                await WriteAsync(context, change, labels, fields, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or shutdown: the stream just ends.
        }
        catch (IOException)
        {
        }
    }

    private static async Task WriteAsync(HttpContext context, StoreEvent change, LabelSelector labels, FieldSelector fields, CancellationToken cancel)
    {
        if (Line(change, labels, fields) is { } line)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancel);
            await context.Response.Body.FlushAsync(cancel);
        }
    }

    private static string? Line(StoreEvent change, LabelSelector labels, FieldSelector fields)
    {
        bool Selected(JsonObject o) => labels.Matches(o) && fields.Matches(o);

        // Every watcher reads the same event, and JsonNode materialises lazily on first read: one reader at a time.
        lock (change)
        {
            // With a selector, an object that starts or stops matching is reported as ADDED or DELETED (watch cache semantics).
            var type = change.Type;
            if (type == "MODIFIED" && change.Previous is { } previous)
            {
                type = (Selected(previous), Selected(change.Object)) switch
                {
                    (true, true) => "MODIFIED",
                    (false, true) => "ADDED",
                    (true, false) => "DELETED",
                    _ => null,
                };
            }
            else if (!Selected(change.Object))
            {
                type = null;
            }

            return type is null ? null : new JsonObject { ["type"] = type, ["object"] = change.Object.DeepClone() }.ToJsonString() + "\n";
        }
    }
}
