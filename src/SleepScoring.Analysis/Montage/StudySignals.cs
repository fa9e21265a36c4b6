using SleepScoring.Edf;

namespace SleepScoring.Analysis.Montage;

/// <summary>Builds the montage's view of an EDF file's signals.</summary>
public static class StudySignals
{
    /// <summary>The ordinary signals of an EDF file (annotation signals left out), keeping their EDF indices.</summary>
    public static IReadOnlyList<StudySignal> FromEdf(IEnumerable<EdfSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return [.. signals.Where(s => !s.IsAnnotation).Select(s => new StudySignal(s.Index, s.Label, s.PhysicalDimension, s.SamplingRate))];
    }
}
