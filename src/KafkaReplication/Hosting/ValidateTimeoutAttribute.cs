using System.Management.Automation;

namespace KafkaReplication.Hosting;

/// <summary>
/// A timeout must be positive and bounded (-1 or 0 would mean "forever" or "at once" to different APIs). The
/// bound is in seconds; the default allows a day, enough for any wait the guide describes.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateTimeoutAttribute : ValidateArgumentsAttribute
{
    public ValidateTimeoutAttribute(double maxSeconds = 86400) => Max = TimeSpan.FromSeconds(maxSeconds);

    public TimeSpan Max { get; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject o ? o.BaseObject : arguments;
        if (value is null) return;
        if (value is not TimeSpan t)
            throw new ValidationMetadataException($"'{value}' is not a time span.");
        if (t <= TimeSpan.Zero || t > Max)
            throw new ValidationMetadataException($"The timeout {t} is out of range: give more than 0 and at most {Max}.");
    }
}
