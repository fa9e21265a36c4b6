using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SleepScoring.Api.Ingest;

/// <summary>
/// What makes two uploads the same request: the file's bytes (SHA-256) and every setting that
/// changes the study (channel mappings, lights, callback, de-identification as applied, label). Two
/// requests with one fingerprint from one key are one study; an Idempotency-Key reused with another
/// fingerprint is refused.
/// </summary>
public static class UploadFingerprint
{
    /// <summary>Lower-case hex SHA-256 of the canonical request.</summary>
    public static string Of(string fileSha256, UploadMetadata metadata, bool deidentify)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var canonical = new StringBuilder();
        canonical.Append("file=").Append(fileSha256).Append('\n');
        foreach (string mapping in metadata.ChannelMappings)
        {
            canonical.Append("map=").Append(mapping.Trim()).Append('\n');
        }

        canonical.Append("lights_off=").Append(Number(metadata.LightsOffSeconds)).Append('\n');
        canonical.Append("lights_on=").Append(Number(metadata.LightsOnSeconds)).Append('\n');
        canonical.Append("callback_url=").Append(metadata.CallbackUrl).Append('\n');
        canonical.Append("deidentify=").Append(deidentify ? "true" : "false").Append('\n');
        if (metadata.Label is not null)
        {
            // Only when given, so requests without a label keep the fingerprints stored before labels existed.
            canonical.Append("label=").Append(metadata.Label).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
}
