namespace KafkaReplication.TestBed.Kubernetes;

/// <summary>Injected write failures: after a budget of admitted writes, every write is refused with 500.</summary>
internal sealed class WriteFaults
{
    private readonly Lock gate = new();
    private int? writesLeft;

    public void FailAfter(int successfulWrites)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successfulWrites);
        lock (gate)
        {
            writesLeft = successfulWrites;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            writesLeft = null;
        }
    }

    /// <summary>True when this write may proceed (and uses up one admitted write).</summary>
    public bool TryAdmit()
    {
        lock (gate)
        {
            if (writesLeft is null)
            {
                return true;
            }

            if (writesLeft == 0)
            {
                return false;
            }

            writesLeft--;
            return true;
        }
    }
}
