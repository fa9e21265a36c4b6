using System.Globalization;

using Microsoft.AspNetCore.Mvc;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Security;
using SleepScoring.Api.Signals;
using SleepScoring.Api.Storage;
using SleepScoring.Edf;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Endpoints;

/// <summary><c>GET …/signals</c>: a window of the stored recording's channels.</summary>
public sealed record SignalsDto(string StudyId, double StartSeconds, double DurationSeconds, int Width, double RecordingSeconds, IReadOnlyList<ChannelWindow> Channels);

/// <summary>The stored recording's signals, cut into drawable windows for the scoring view.</summary>
public static class SignalEndpoints
{
    /// <summary>Longest window (10 epochs): the response holds at most channels × 2 × width numbers whatever the window.</summary>
    public const double MaxDurationSeconds = 300;

    public const int MinWidth = 50, MaxWidth = 4000, DefaultWidth = 1000, MaxChannels = 64;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/studies/{id}").WithTags("Signals").RequireAuthorization(Roles.Policies.Read).AddEndpointFilter<StudyAccessFilter>()
            .MapGet("/signals", SignalsAsync)
            .Produces<SignalsDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary($"A window of the stored recording: start (s from the recording start, default 0), duration (s, ≤ {MaxDurationSeconds}, default 30), channels (comma-separated signal indices or labels; default all), width (pixel columns {MinWidth}–{MaxWidth}, default {DefaultWidth}). Per channel: label, unit, rate, the model derivations it feeds, and either the samples (≤ 2 per column) or a min/max envelope per column; null where the file has no data.");
    }

    private static async Task<IResult> SignalsAsync(
        string id,
        [FromQuery] string? start,
        [FromQuery] string? duration,
        [FromQuery] string? channels,
        [FromQuery] string? width,
        StudyStore studies,
        DataFolder folder,
        CancellationToken cancellationToken)
    {
        Study? study = await studies.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (study is null || !File.Exists(folder.StudyEdf(id)))
        {
            return Problems.NotFound($"study {id}");
        }

        if (Number("start", start, 0, 0, double.MaxValue, out double from) is IResult badStart)
        {
            return badStart;
        }

        if (Number("duration", duration, 30, double.Epsilon, MaxDurationSeconds, out double length) is IResult badDuration)
        {
            return badDuration;
        }

        if (Number("width", width, DefaultWidth, MinWidth, MaxWidth, out double columns) is IResult badWidth || columns != Math.Floor(columns))
        {
            return Problems.Field("width", $"width must be a whole number of pixel columns, {MinWidth}–{MaxWidth}; got '{width}'");
        }

        using EdfReader reader = EdfReader.Open(folder.StudyEdf(id));
        if (from >= reader.Header.Duration)
        {
            return Problems.Field("start", $"start must lie within the recording (0 to {reader.Header.Duration.ToString(CultureInfo.InvariantCulture)} s); got {from.ToString(CultureInfo.InvariantCulture)}");
        }

        (int[]? chosen, string? problem) = Channels(reader, channels);
        if (chosen is null)
        {
            return Problems.Field("channels", problem!);
        }

        IReadOnlyList<DerivationUsed> derivations = study.Status == StudyStatus.Scored ? ScoredExtras.Of(study, folder).Derivations : [];
        ChannelWindow[] windows = [.. chosen.Select(c => SignalWindow.Read(reader, c, from, length, (int)columns) with { ModelDerivations = Feeds(derivations, reader.Signals[c].Label) })];
        return Results.Ok(new SignalsDto(id, from, length, (int)columns, reader.Header.Duration, windows));
    }

    private static IResult? Number(string name, string? text, double fallback, double min, double max, out double value)
    {
        value = fallback;
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value) || value < min || value > max)
        {
            string range = max == double.MaxValue ? $"≥ {min.ToString(CultureInfo.InvariantCulture)}" : $"{(min == double.Epsilon ? "> 0" : min.ToString(CultureInfo.InvariantCulture))} to {max.ToString(CultureInfo.InvariantCulture)}";
            return Problems.Field(name, $"{name} must be a number {range}; got '{text}'");
        }

        return null;
    }

    private static (int[]? Channels, string? Problem) Channels(EdfReader reader, string? text)
    {
        int[] ordinary = [.. reader.Signals.Where(s => !s.IsAnnotation).Select(s => s.Index)];
        if (string.IsNullOrWhiteSpace(text))
        {
            return ([.. ordinary.Take(MaxChannels)], null);
        }

        string[] parts = [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        if (parts.Length is 0 or > MaxChannels)
        {
            return (null, $"channels must name 1–{MaxChannels} signals; got {parts.Length}");
        }

        var chosen = new List<int>();
        foreach (string part in parts)
        {
            int index = int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i
                : reader.Signals.FirstOrDefault(s => string.Equals(s.Label, part, StringComparison.OrdinalIgnoreCase))?.Index ?? -1;
            if (index < 0 || index >= reader.Signals.Count || reader.Signals[index].IsAnnotation)
            {
                return (null, $"channels: '{part}' is not a signal of this recording (indices {string.Join(", ", ordinary)} or their labels)");
            }

            chosen.Add(index);
        }

        return ([.. chosen.Distinct()], null);
    }

    // A derivation's source is "LABEL" or "LABEL − REFERENCE" (ScoredStudy's DerivationUsed.Source).
    private static IReadOnlyList<string> Feeds(IReadOnlyList<DerivationUsed> derivations, string label) =>
        [.. derivations.Where(d => d.Source.Split(" − ").Any(part => string.Equals(part.Trim(), label, StringComparison.OrdinalIgnoreCase))).Select(d => d.Name)];
}
