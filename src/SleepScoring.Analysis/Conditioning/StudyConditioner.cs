using System.Globalization;

using SleepScoring.Analysis.Montage;
using SleepScoring.Edf;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// EDF in, model input out: resolves the montage (EEG Fpz-Cz/Pz-Oz, EOG, EMG by alias or
/// re-referencing), converts each source to µV, conditions it (<see cref="SignalConditioner"/>:
/// per gap-free segment, resample to 100 Hz, zero-phase filter), builds the epoch table
/// (<see cref="EpochGrid"/>: gaps, lights period) and checks signal quality (flat epochs are
/// excluded; flat or clipped derivations and short recordings are reported as warnings).
/// </summary>
public sealed class StudyConditioner(ConditioningOptions options)
{
    /// <summary>Recordings shorter than this many seconds (4 h) are scored but get a warning.</summary>
    public const double UsefulNightSeconds = 4 * 3600;

    private readonly SignalConditioner _conditioner = new(options);

    /// <summary>Creates a conditioner with the default filters.</summary>
    public StudyConditioner()
        : this(ConditioningOptions.Default)
    {
    }

    /// <summary>Conditions the study in <paramref name="reader"/>.</summary>
    /// <param name="reader">An open EDF/EDF+/BDF study.</param>
    /// <param name="explicitMappings">Optional <c>FROM=TO</c> channel mappings that override the montage's guess.</param>
    /// <param name="lights">The analysed period from a request; when null, lights annotations are used if present.</param>
    /// <exception cref="MontageException">No usable EEG derivation (the labels found and accepted are listed).</exception>
    /// <exception cref="StudyTooShortException">Less than one 30-s epoch of recording.</exception>
    /// <exception cref="StudyDurationException">A timeline longer than 72 h (damaged EDF+D onsets).</exception>
    public ConditionedStudy Condition(EdfReader reader, IEnumerable<string>? explicitMappings = null, LightsPeriod? lights = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        List<StudySignal> signals = [.. reader.Signals.Where(s => !s.IsAnnotation)
            .Select(s => new StudySignal(s.Index, s.Label, s.PhysicalDimension, s.SamplingRate))];
        StudyMontage montage = MontageResolver.Resolve(signals, explicitMappings);

        double recordDuration = reader.Header.RecordDuration;
        IReadOnlyList<DataSegment> segments = DataSegment.FromRecordOnsets(reader.RecordOnsets, recordDuration);
        double duration = segments.Count == 0 ? 0 : segments[^1].End;
        List<string> warnings = [.. montage.Warnings];
        lights ??= LightsFromAnnotations(reader, duration, warnings);
        IReadOnlyList<ConditionedEpoch> epochs = EpochGrid.Build(duration, segments, lights);

        var inputs = new SignalInput[montage.Sources.Count];
        var sourceWarnings = new string?[montage.Sources.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            // Sequential: a reader over a stream is not safe for concurrent reads (and decoding is the cheap part).
            (inputs[i], sourceWarnings[i]) = ReadSource(reader, montage.Sources[i]);
        }

        float[][] conditioned = _conditioner.ConditionAll(inputs, segments, duration);
        ConditionedDerivation[] derivations = [.. montage.Sources.Select((source, i) => new ConditionedDerivation(source, conditioned[i]))];
        warnings.AddRange(sourceWarnings.OfType<string>());

        if (segments.Count > 1)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The recording has {segments.Count - 1} gap(s) (EDF+D): {epochs.Count(e => e.Exclusion is EpochExclusion.CrossesGap or EpochExclusion.InGap)} epoch(s) across or inside them are not scored."));
        }

        epochs = ExcludeFlatEpochs(epochs, derivations, warnings);
        if (duration < UsefulNightSeconds)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The recording lasts {duration / 60:0.#} min, shorter than a useful night (4 h): {epochs.Count(e => e.Scorable)} epoch(s) are scored, but sleep statistics will not describe a night."));
        }

        return new ConditionedStudy(duration, montage, derivations, epochs, lights, warnings);
    }

    private static LightsPeriod? LightsFromAnnotations(EdfReader reader, double duration, List<string> warnings)
    {
        try
        {
            return LightsPeriod.FromAnnotations(reader.ReadAnnotations().Select(a => (a.Onset, a.Text)), duration);
        }
        catch (ArgumentException e)
        {
            // A file's own lights annotations can be wrong (on before off); score the whole recording and say so.
            warnings.Add($"Lights annotations ignored: {e.Message}");
            return null;
        }
    }

    /// <summary>A source's samples in µV (re-referenced when needed), with a warning when it is clipped.</summary>
    private static (SignalInput Input, string? Warning) ReadSource(EdfReader reader, DerivationSource source)
    {
        EdfSignal signal = reader.Signals[source.Signal];
        float[] samples = reader.ReadPhysical(source.Signal);
        string? warning = null;
        double clipped = SignalQuality.ClippedFraction(samples, signal.PhysicalMinimum, signal.PhysicalMaximum);
        if (clipped >= SignalQuality.ClippedShare)
        {
            warning = string.Create(CultureInfo.InvariantCulture, $"{source.Derivation.Name} ('{signal.Label}') is clipped: {clipped:P1} of its samples sit at the physical limits {signal.PhysicalMinimum}…{signal.PhysicalMaximum}.");
        }

        Scale(samples, source.SignalToMicrovolts);
        if (source.ReferenceSignal is int reference)
        {
            float[] referenceSamples = reader.ReadPhysical(reference);
            for (int i = 0; i < samples.Length && i < referenceSamples.Length; i++)
            {
                samples[i] -= (float)(referenceSamples[i] * source.ReferenceToMicrovolts);
            }
        }

        SignalFilterKind filter = source.Derivation.Role == DerivationRole.Emg ? SignalFilterKind.Emg : SignalFilterKind.BandPass;
        return (new SignalInput(samples, signal.SamplingRate, signal.SamplesPerRecord, filter), warning);
    }

    private static IReadOnlyList<ConditionedEpoch> ExcludeFlatEpochs(
        IReadOnlyList<ConditionedEpoch> epochs, ConditionedDerivation[] derivations, List<string> warnings)
    {
        ConditionedDerivation[] eeg = [.. derivations.Where(d => d.Source.Derivation.Role is DerivationRole.FrontalEeg or DerivationRole.PosteriorEeg)];
        int samplesPerEpoch = (int)(ConditionedEpoch.Length * SignalConditioner.ModelRate);
        var result = new ConditionedEpoch[epochs.Count];
        var flatCount = new int[eeg.Length];
        int checkedEpochs = 0;
        for (int e = 0; e < epochs.Count; e++)
        {
            result[e] = epochs[e];
            if (!epochs[e].Scorable)
            {
                continue;
            }

            checkedEpochs++;
            bool allFlat = true;
            for (int d = 0; d < eeg.Length; d++)
            {
                bool flat = SignalQuality.IsFlat(eeg[d].Samples.AsSpan(e * samplesPerEpoch, samplesPerEpoch));
                flatCount[d] += flat ? 1 : 0;
                allFlat &= flat;
            }

            if (allFlat)
            {
                result[e] = epochs[e] with { Exclusion = EpochExclusion.FlatSignal };
            }
        }

        for (int d = 0; d < eeg.Length; d++)
        {
            if (checkedEpochs > 0 && flatCount[d] * 2 >= checkedEpochs)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{eeg[d].Name} ('{eeg[d].Source.SignalLabel}') is flat (< {SignalQuality.FlatRmsMicrovolts} µV RMS) in {flatCount[d]} of {checkedEpochs} epochs: check the electrode."));
            }
        }

        return result;
    }

    private static void Scale(float[] samples, double factor)
    {
        if (factor == 1)
        {
            return;
        }

        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(samples[i] * factor);
        }
    }
}
