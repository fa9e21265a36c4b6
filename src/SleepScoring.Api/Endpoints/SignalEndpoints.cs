using System.Globalization;

using Microsoft.AspNetCore.Http.HttpResults;
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

    private static async Task<Ok<SignalsDto>> SignalsAsync([AsParameters] SignalWindowQuery query, IStudyStore studies, DataFolder folder, CancellationToken cancellationToken)
    {
        string id = query.Id;
        Study? study = await studies.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (study is null || !File.Exists(folder.StudyEdf(id)))
        {
            throw new StudyNotFoundException(id);
        }

        double from = Number("start", query.Start, 0, 0, double.MaxValue);
        double length = Number("duration", query.Duration, 30, double.Epsilon, MaxDurationSeconds);
        double columns = Number("width", query.Width, DefaultWidth, MinWidth, MaxWidth, wholeMessage: $"width must be a whole number of pixel columns, {MinWidth}–{MaxWidth}; got '{query.Width}'");
        if (columns != Math.Floor(columns))
        {
            throw new InvalidFieldException("width", $"width must be a whole number of pixel columns, {MinWidth}–{MaxWidth}; got '{query.Width}'");
        }

        using EdfReader reader = EdfReader.Open(folder.StudyEdf(id));
        if (from >= reader.Header.Duration)
        {
            throw new InvalidFieldException("start", $"start must lie within the recording (0 to {reader.Header.Duration.ToString(CultureInfo.InvariantCulture)} s); got {from.ToString(CultureInfo.InvariantCulture)}");
        }

        (int[]? chosen, string? problem) = Channels(reader, query.Channels);
        if (chosen is null)
        {
            throw new InvalidFieldException("channels", problem!);
        }

        IReadOnlyList<DerivationUsed> derivations = study.Status == StudyStatus.Scored ? ScoredExtras.Of(study, folder).Derivations : [];
        ChannelWindow[] windows = [.. chosen.Select(c => SignalWindow.Read(reader, c, from, length, (int)columns) with { ModelDerivations = Feeds(derivations, reader.Signals[c].Label) })];
        return TypedResults.Ok(new SignalsDto(id, from, length, (int)columns, reader.Header.Duration, windows));
    }

    /// <summary>The parameter's number, <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="InvalidFieldException">Not a finite number within min to max (<paramref name="wholeMessage"/> when given).</exception>
    private static double Number(string name, string? text, double fallback, double min, double max, string? wholeMessage = null)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < min || value > max)
        {
            string range = max == double.MaxValue ? $"≥ {min.ToString(CultureInfo.InvariantCulture)}" : $"{(min == double.Epsilon ? "> 0" : min.ToString(CultureInfo.InvariantCulture))} to {max.ToString(CultureInfo.InvariantCulture)}";
            throw new InvalidFieldException(name, wholeMessage ?? $"{name} must be a number {range}; got '{text}'");
        }

        return value;
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

/// <summary>
/// Route and query of <c>GET …/signals</c>, as sent (text: a bad value is answered naming the
/// parameter and its range, not refused by binding).
/// </summary>
internal sealed record SignalWindowQuery(
    string Id,
    [FromQuery(Name = "start")] string? Start,
    [FromQuery(Name = "duration")] string? Duration,
    [FromQuery(Name = "channels")] string? Channels,
    [FromQuery(Name = "width")] string? Width);
