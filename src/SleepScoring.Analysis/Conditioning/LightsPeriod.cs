using System.Text.RegularExpressions;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// Lights-off to lights-on, in seconds from the recording start: the period a sleep study
/// analyses (time in bed). Comes from a request or from the study's annotations.
/// </summary>
/// <param name="Off">Lights-off in seconds.</param>
/// <param name="On">Lights-on in seconds.</param>
public sealed partial record LightsPeriod(double Off, double On)
{
    /// <summary>Validates the period.</summary>
    /// <exception cref="ScoringInputException">Off is negative or not before On.</exception>
    public static LightsPeriod Create(double off, double on) =>
        !(off >= 0) || !(on > off) || double.IsInfinity(on)
            ? throw new ScoringInputException($"Lights-off ({off} s) must be ≥ 0 and before lights-on ({on} s).", nameof(off))
            : new LightsPeriod(off, on);

    /// <summary>
    /// Finds "Lights off"/"Lights out" and "Lights on" annotations (any case, spaces, hyphens or
    /// underscores between the words). Missing lights-off means the recording start; missing
    /// lights-on means the end. Returns null when neither is annotated.
    /// </summary>
    public static LightsPeriod? FromAnnotations(IEnumerable<(double Onset, string Text)> annotations, double recordingDuration)
    {
        double? off = null, on = null;
        foreach ((double onset, string text) in annotations)
        {
            if (!TryParseLabel(text, out string _, out bool lightsOn))
            {
                continue;
            }

            if (lightsOn)
            {
                on ??= onset; // the first lights-on after lights-off ends the night
            }
            else
            {
                off ??= onset;
            }
        }

        return off is null && on is null ? null : Create(off ?? 0, on ?? recordingDuration);
    }

    /// <summary>
    /// True when <paramref name="text"/> starts with a lights label ("Lights off", "lights_out",
    /// "Light on"…); <paramref name="label"/> is that label as written, without what follows it.
    /// </summary>
    public static bool TryParseLabel(string text, out string label, out bool lightsOn)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match match = LightsPattern().Match(text);
        label = match.Success ? match.Value.Trim() : string.Empty;
        lightsOn = match.Success && match.Groups[1].Value.Equals("on", StringComparison.OrdinalIgnoreCase);
        return match.Success;
    }

    /// <summary>True when the epoch [start, start + length) overlaps [Off, On): the epochs holding lights-off and lights-on are analysed.</summary>
    public bool Overlaps(double epochStart, double epochLength) => epochStart + epochLength > Off && epochStart < On;

    [GeneratedRegex(@"^\s*lights?[\s_\-]*(off|out|on)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LightsPattern();
}
