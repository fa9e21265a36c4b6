using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;

namespace SleepScoring.Api.Security;

/// <summary>
/// A configured bootstrap admin key must be at least 32 characters that look random (at least 3
/// bits of entropy per character over their own distribution: <c>openssl rand -base64 32</c> or
/// <c>-hex 16</c> pass, <c>a</c>, a repeated word or a short password do not). The service refuses
/// to start otherwise; the message never shows the key.
/// </summary>
public sealed class BootstrapKeyRule : IValidateOptions<SecurityOptions>
{
    public const int MinimumLength = 32;
    public const double MinimumBitsPerCharacter = 3;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? key = options.BootstrapAdminKey;
        if (string.IsNullOrEmpty(key))
        {
            return ValidateOptionsResult.Success;
        }

        double bits = BitsPerCharacter(key);
        return key.Length >= MinimumLength && bits >= MinimumBitsPerCharacter
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Security:BootstrapAdminKey must be at least {MinimumLength} random characters (e.g. the output of 'openssl rand -base64 32'); " +
                $"the configured one has {key.Length} characters and {bits:0.0} bits of entropy per character (at least {MinimumBitsPerCharacter} needed).");
    }

    /// <summary>Shannon entropy of the key's own character distribution, in bits per character.</summary>
    public static double BitsPerCharacter(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return -key.GroupBy(c => c).Select(g => (double)g.Count() / key.Length).Sum(p => p * Math.Log2(p));
    }
}
