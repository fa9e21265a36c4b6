using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Staging;

namespace SleepScoring.Api.Ingest;

/// <summary>
/// The annotation texts de-identification keeps: stage labels the project reads
/// (<see cref="StageLabel"/>: "Sleep stage W", "N2", "Movement time"…) and lights labels
/// (<see cref="LightsPeriod"/>: "Lights off"…, cut after the label, so "Lights off by Nurse_Smith"
/// keeps "Lights off"). Every other text is blanked: free text is where names and notes hide.
/// </summary>
public static class AnnotationVocabulary
{
    /// <summary>The text to keep for <paramref name="text"/>, or null to blank it.</summary>
    public static string? Keep(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (StageLabel.TryParse(text, out _))
        {
            return text.Trim();
        }

        return LightsPeriod.TryParseLabel(text, out string label, out _) ? label : null;
    }
}
