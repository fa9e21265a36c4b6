using System.Globalization;

using FluentValidation;

using Microsoft.Extensions.Primitives;

namespace SleepScoring.Api.Ingest;

/// <summary>What an upload says besides the EDF bytes (form fields or query parameters, same names).</summary>
public sealed record UploadMetadata
{
    /// <summary><c>FROM=TO</c> channel mappings (<c>map</c>, repeatable).</summary>
    public IReadOnlyList<string> ChannelMappings { get; init; } = [];

    /// <summary><c>lights_off</c>, seconds from the recording start, as sent.</summary>
    public string? LightsOff { get; init; }

    /// <summary><c>lights_on</c>, seconds from the recording start, as sent.</summary>
    public string? LightsOn { get; init; }

    /// <summary><c>callback_url</c>: receives a signed POST when scoring ends.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary><c>deidentify</c>: true/false; absent means the configured default.</summary>
    public string? Deidentify { get; init; }

    /// <summary><c>label</c>: a non-identifying label (e.g. an order number); optional.</summary>
    public string? Label { get; init; }

    /// <summary>True when the caller's key can sign callbacks (an integration key).</summary>
    public bool CallerHasCallbackSecret { get; init; }

    public double? LightsOffSeconds => Seconds(LightsOff);

    public double? LightsOnSeconds => Seconds(LightsOn);

    /// <summary>Reads the known names from form fields or the query string.</summary>
    public static UploadMetadata From(Func<string, StringValues> values, bool callerHasCallbackSecret) => new()
    {
        ChannelMappings = [.. values("map").Where(v => v is not null).Select(v => v!)],
        LightsOff = values("lights_off").FirstOrDefault(),
        LightsOn = values("lights_on").FirstOrDefault(),
        CallbackUrl = values("callback_url").FirstOrDefault(),
        Deidentify = values("deidentify").FirstOrDefault(),
        Label = values("label").FirstOrDefault() is { Length: > 0 } label ? label.Trim() : null,
        CallerHasCallbackSecret = callerHasCallbackSecret,
    };

    internal static double? Seconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && double.IsFinite(s) ? s : null;
}

/// <summary>Validates <see cref="UploadMetadata"/>; messages name the field and the value.</summary>
public sealed class UploadMetadataValidator : AbstractValidator<UploadMetadata>
{
    private static bool IsMapping(string mapping) => mapping.Split('=') is [var from, var to] && from.Trim().Length > 0 && to.Trim().Length > 0;

    public UploadMetadataValidator(Jobs.CallbackAddressRule callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        RuleFor(m => m.ChannelMappings)
            .Must(all => all.Count <= 64 && all.All(IsMapping))
            .OverridePropertyName("map")
            .WithMessage(m => $"map must be FROM=TO (a signal label, '=', a derivation name), at most 64; got '{string.Join("', '", m.ChannelMappings.Where(x => !IsMapping(x)))}'");
        RuleFor(m => m.LightsOff)
            .Must(v => v is null || UploadMetadata.Seconds(v) >= 0)
            .OverridePropertyName("lights_off")
            .WithMessage("lights_off must be seconds ≥ 0 from the recording start; got '{PropertyValue}'");
        RuleFor(m => m.LightsOn)
            .Must(v => v is null || UploadMetadata.Seconds(v) > 0)
            .OverridePropertyName("lights_on")
            .WithMessage("lights_on must be seconds > 0 from the recording start; got '{PropertyValue}'");
        RuleFor(m => m)
            .Must(m => m.LightsOffSeconds is not double off || m.LightsOnSeconds is not double on || off < on)
            .OverridePropertyName("lights_on")
            .WithMessage("lights_on must be after lights_off");
        RuleFor(m => m.CallbackUrl)
            .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .OverridePropertyName("callback_url")
            .WithMessage("callback_url must be an absolute http(s) URL; got '{PropertyValue}'");
        RuleFor(m => m.CallbackUrl)
            .Must(u => u is null || !Uri.TryCreate(u, UriKind.Absolute, out Uri? uri) || callbacks.Problem(uri) is null)
            .OverridePropertyName("callback_url")
            .WithMessage(m => Uri.TryCreate(m.CallbackUrl, UriKind.Absolute, out Uri? uri) ? callbacks.Problem(uri) : null);
        RuleFor(m => m.CallbackUrl)
            .Must((m, u) => u is null || m.CallerHasCallbackSecret)
            .OverridePropertyName("callback_url")
            .WithMessage("callback_url needs an integration key (its callback secret signs the POST)");
        RuleFor(m => m.Label)
            .Must(StudyLabel.IsValid)
            .OverridePropertyName("label")
            .WithMessage($"label must be 1–{StudyLabel.MaxLength} letters, digits, spaces or - _ . / # : (an order or accession number, never a name); got '{{PropertyValue}}'");
        RuleFor(m => m.Deidentify)
            .Must(v => v is null || bool.TryParse(v, out _))
            .OverridePropertyName("deidentify")
            .WithMessage("deidentify must be true or false; got '{PropertyValue}'");
    }
}
