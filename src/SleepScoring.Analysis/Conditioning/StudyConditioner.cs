using System.Globalization;

using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Signals;
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

    /// <summary>The filters and rates this conditioner applies.</summary>
    public ConditioningOptions Options { get; } = options;

    /// <summary>Creates a conditioner with the default filters.</summary>
    public StudyConditioner()
        : this(ConditioningOptions.Default)
    {
    }

    /// <summary>Conditions the study in <paramref name="reader"/>.</summary>
    /// <param name="reader">An open EDF/EDF+/BDF study.</param>
    /// <param name="explicitMappings">Optional <c>FROM=TO</c> channel mappings that override the montage's guess.</param>
    /// <param name="lights">The analysed period from a request; when null, lights annotations are used if present.</param>
    /// <param name="derivations">
    /// Names of the derivations whose conditioned samples the caller reads (e.g. a model's input);
    /// null = every derivation of the montage. EEG derivations are always conditioned (the flat-signal
    /// check reads them); the others are only streamed through the clipping check, so their warnings
    /// are the same either way.
    /// </param>
    /// <param name="eegCandidates">
    /// Also condition, for adaptive sensing to choose among, the first EEG derivation the montage found
    /// (<see cref="StudyMontage.EegCandidates"/>) of each scalp region the chosen ones do not cover; <see cref="ConditionedStudy.EegCandidates"/> holds them
    /// (sharing the samples of the chosen ones). Off: only the chosen EEG is conditioned.
    /// </param>
    /// <param name="storage">Where the conditioned derivations and the filters' passes live: null, in memory; in files for bounded memory (the caller disposes it after reading the study).</param>
    /// <exception cref="MontageException">No usable EEG derivation (the labels found and accepted are listed).</exception>
    /// <exception cref="StudyTooShortException">Less than one 30-s epoch of recording.</exception>
    /// <exception cref="StudyDurationException">A timeline longer than 72 h (damaged EDF+D onsets).</exception>
    public ConditionedStudy Condition(EdfReader reader, IEnumerable<string>? explicitMappings = null, LightsPeriod? lights = null, IReadOnlyCollection<string>? derivations = null, bool eegCandidates = false, ConditioningStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        StudyMontage montage = ResolveMontage(reader, explicitMappings);

        double recordDuration = reader.Header.RecordDuration;
        IReadOnlyList<DataSegment> segments = DataSegment.FromRecordOnsets(reader.RecordOnsets, recordDuration);
        double duration = segments.Count == 0 ? 0 : segments[^1].End;
        List<string> warnings = [.. montage.Warnings];
        lights ??= LightsFromAnnotations(reader, duration, warnings);
        IReadOnlyList<ConditionedEpoch> epochs = EpochGrid.Build(duration, segments, lights);

        var samples = new DerivationSamples(reader, new object());

        // The chosen sources, then (when asked) the first EEG candidate of each scalp region the chosen
        // ones do not cover: all that sensing tries (SlotAssignments). Conditioning every lead of an
        // AASM montage (six at 256 Hz) tripled the conditioning time for signals never read.
        DerivationSource[] all = [.. montage.Sources, .. eegCandidates ? OtherRegions(montage) : []];
        var sourceWarnings = new string?[all.Length];
        int[] kept = [.. Enumerable.Range(0, all.Length).Where(i => i >= montage.Sources.Count || IsKept(all[i], derivations))];
        foreach (int i in Enumerable.Range(0, all.Length).Except(kept))
        {
            sourceWarnings[i] = samples.CheckOnly(all[i]);
        }

        storage ??= ConditioningStorage.Memory;
        (RecordedSignal Signal, DerivationSamples.Clipping Clipping)[] recorded = [.. kept.Select(i => samples.Recorded(all[i]))];
        SampleStore<float>[] tracks = [.. kept.Select(_ => storage.NewTrack(SignalConditioner.TrackLength(duration)))];
        _conditioner.ConditionInto([.. recorded.Select(r => r.Signal)], segments, duration, tracks, storage);
        for (int k = 0; k < kept.Length; k++)
        {
            sourceWarnings[kept[k]] = recorded[k].Clipping.Warning();
        }

        ConditionedDerivation[] conditionedAll = [.. kept.Select((i, k) => new ConditionedDerivation(all[i], tracks[k]))];
        ConditionedDerivation[] conditionedDerivations = [.. conditionedAll.Where(d => montage.Sources.Contains(d.Source))];
        ConditionedDerivation[] candidates = eegCandidates
            ? [.. montage.EegCandidates.Where(c => conditionedAll.Any(d => d.Source.Key == c.Key)).Select(c => new ConditionedDerivation(c, conditionedAll.First(d => d.Source.Key == c.Key).Samples))]
            : [.. conditionedDerivations.Where(d => d.Source.Derivation.IsEeg)];
        warnings.AddRange(sourceWarnings.OfType<string>());

        if (segments.Count > 1)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The recording has {segments.Count - 1} gap(s) (EDF+D): {epochs.Count(e => e.Exclusion is EpochExclusion.CrossesGap or EpochExclusion.InGap)} epoch(s) across or inside them are not scored."));
        }

        epochs = ExcludeFlatEpochs(epochs, conditionedDerivations, warnings);
        if (duration < UsefulNightSeconds)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The recording lasts {duration / 60:0.#} min, shorter than a useful night (4 h): {epochs.Count(e => e.Scorable)} epoch(s) are scored, but sleep statistics will not describe a night."));
        }

        return new ConditionedStudy(duration, montage, conditionedDerivations, epochs, lights, warnings) { EegCandidates = candidates, Storage = storage };
    }

    /// <summary>The montage <see cref="Condition"/> uses for <paramref name="reader"/>'s signals, from the header alone.</summary>
    /// <exception cref="MontageException">No usable EEG derivation.</exception>
    public static StudyMontage ResolveMontage(EdfReader reader, IEnumerable<string>? explicitMappings = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        List<StudySignal> signals = [.. reader.Signals.Where(s => !s.IsAnnotation)
            .Select(s => new StudySignal(s.Index, s.Label, s.PhysicalDimension, s.SamplingRate))];
        return MontageResolver.Resolve(signals, explicitMappings);
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

    /// <summary>The first EEG candidate of each scalp region that no chosen source covers (in the montage's preference order).</summary>
    private static IEnumerable<DerivationSource> OtherRegions(StudyMontage montage) =>
        montage.EegCandidates
            .Where(c => !montage.Sources.Any(s => s.Key == c.Key || (s.Derivation.IsEeg && s.Region == c.Region)))
            .GroupBy(c => c.Region)
            .Select(g => g.First());

    private static bool IsKept(DerivationSource source, IReadOnlyCollection<string>? derivations) =>
        derivations is null
        || derivations.Contains(source.Derivation.Name)
        || source.Derivation.IsEeg;

    private static IReadOnlyList<ConditionedEpoch> ExcludeFlatEpochs(
        IReadOnlyList<ConditionedEpoch> epochs, ConditionedDerivation[] derivations, List<string> warnings)
    {
        ConditionedDerivation[] eeg = [.. derivations.Where(d => d.Source.Derivation.Role is DerivationRole.FrontalEeg or DerivationRole.PosteriorEeg)];
        const int samplesPerEpoch = ConditionedEpoch.Samples;
        var result = new ConditionedEpoch[epochs.Count];
        var flatCount = new int[eeg.Length];
        int checkedEpochs = 0;
        const int EpochsPerRead = 64;
        float[][] block = [.. eeg.Select(_ => new float[EpochsPerRead * samplesPerEpoch])];
        for (int e = 0; e < epochs.Count; e++)
        {
            result[e] = epochs[e];
            if (e % EpochsPerRead == 0)
            {
                for (int d = 0; d < eeg.Length; d++)
                {
                    // The tracks hold whole epochs except, at most, a part of the last one.
                    long start = (long)e * samplesPerEpoch;
                    int n = (int)Math.Clamp(eeg[d].Samples.Length - start, 0, block[d].Length);
                    eeg[d].Samples.Read(start, block[d].AsSpan(0, n));
                }
            }

            if (!epochs[e].Scorable)
            {
                continue;
            }

            checkedEpochs++;
            bool allFlat = true;
            for (int d = 0; d < eeg.Length; d++)
            {
                bool flat = SignalQuality.IsFlat(block[d].AsSpan(e % EpochsPerRead * samplesPerEpoch, samplesPerEpoch));
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
}
