using System.Diagnostics;

namespace KafkaReplication.Benchmarks;

/// <summary>Timings taken side by side: every round runs each case once, in rotating order, so that JIT tiering,
/// GC and the machine's load hit all cases alike; warm-up rounds first, then the median of the timed rounds.</summary>
internal static class Measure
{
    public static async Task<IReadOnlyList<Timing>> SideBySideAsync(int warmUps, int runs, params (string Label, Func<Task> Body)[] cases)
    {
        var times = cases.Select(_ => new List<double>(runs)).ToArray();
        for (var round = 0; round < warmUps + runs; round++)
        {
            for (var k = 0; k < cases.Length; k++)
            {
                var i = (k + round) % cases.Length;
                var watch = Stopwatch.StartNew();
                await cases[i].Body();
                if (round >= warmUps) times[i].Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        var timings = cases.Select((c, i) => Timing.Of(c.Label, times[i])).ToList();
        timings.ForEach(Console.WriteLine);
        return timings;
    }

    public static async Task<Timing> AloneAsync(string label, int warmUps, int runs, Func<Task> body) =>
        (await SideBySideAsync(warmUps, runs, (label, body)))[0];
}

internal sealed record Timing(string Label, double MedianMs, double MinMs, double MaxMs, int Runs)
{
    public static Timing Of(string label, List<double> times)
    {
        times.Sort();
        return new Timing(label, times[times.Count / 2], times[0], times[^1], times.Count);
    }

    public override string ToString() => $"  {Label,-68} median {MedianMs,7:0.0} ms  (min {MinMs:0.0}, max {MaxMs:0.0}, {Runs} runs)";
}
