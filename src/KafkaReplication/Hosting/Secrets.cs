using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using KafkaReplication.Engine.Model;

namespace KafkaReplication.Hosting;

/// <summary>Moves secrets from PowerShell's SecureString/PSCredential into the engine's masked SecretValue.</summary>
internal static class Secrets
{
    public static SecretValue? From(SecureString? s, string origin)
    {
        if (s is null) return null;
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(s);
        try { return new SecretValue(Marshal.PtrToStringUni(ptr) ?? "") { Origin = origin }; }
        finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
    }

    public static (string? User, SecretValue? Password) From(PSCredential? credential, string origin) =>
        credential is null || credential == PSCredential.Empty
            ? (null, null)
            : (credential.UserName, From(credential.Password, origin));
}
