using System.Globalization;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// A study's timeline cannot be conditioned (<see cref="StudyTooShortException"/> for the short case): less than one 30-s epoch of recording, or a timeline
/// (last record onset plus its duration) longer than <see cref="EpochGrid.MaxDurationSeconds"/>,
/// which only a damaged or hostile EDF+D onset produces. The message names the duration.
/// </summary>
public class StudyDurationException : Exception
{
    /// <summary>Creates the exception for a recording of <paramref name="durationSeconds"/> seconds.</summary>
    public StudyDurationException(double durationSeconds)
        : base(durationSeconds < ConditionedEpoch.Length
            ? string.Create(CultureInfo.InvariantCulture, $"The recording lasts {durationSeconds:0.###} s, less than one 30-s epoch: nothing can be scored.")
            : string.Create(CultureInfo.InvariantCulture, $"The recording's timeline spans {durationSeconds:0.###} s, more than the {EpochGrid.MaxDurationSeconds / 3600:0} h a study may last: check the EDF+D record onsets."))
    {
        DurationSeconds = durationSeconds;
    }

    /// <summary>Creates the exception.</summary>
    public StudyDurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StudyDurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StudyDurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The recording's duration in seconds.</summary>
    public double DurationSeconds { get; }

    /// <summary>True when the recording is shorter than one epoch (rather than too long).</summary>
    public bool TooShort => DurationSeconds < ConditionedEpoch.Length;
}
