using System.Security.Cryptography;
using System.Text;

namespace SleepScoring.Api.Security;

/// <summary>Makes API keys and callback secrets, and the SHA-256 under which a key is stored.</summary>
public static class ApiKeySecret
{
    /// <summary>Keys start with this, so a leaked key is recognisable in a scan.</summary>
    public const string Prefix = "ssk_";

    /// <summary>A new random key (256 bits, URL-safe).</summary>
    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new random HMAC secret for callbacks.</summary>
    public static string NewCallbackSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new short public id for a key (shown in audits, never a secret).</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>The stored form: SHA-256 of the UTF-8 key, lower-case hex. A random 256-bit key needs no salt or stretching.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
