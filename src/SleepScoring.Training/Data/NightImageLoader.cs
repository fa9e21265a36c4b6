using System.Runtime.ExceptionServices;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Signals;
using SleepScoring.Analysis.Staging;
using SleepScoring.Edf;
using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Training.Data;

/// <summary>One loaded night: its files, its images and how many epochs the recording had before cropping.</summary>
public sealed record LoadedNight(PsgPair Pair, NightImages Images, int RecordingEpochs);

/// <summary>
/// PSG/hypnogram pairs in, <see cref="NightImages"/> out, through the service's own code: the
/// PSG is conditioned by <see cref="StudyConditioner"/>, each epoch's signals are gathered by
/// <see cref="EpochViews.Gather"/> (trace and signal-passed views) and drawn by <see cref="ModelImageRenderers"/>, so training
/// sees exactly the pixels inference will. Epoch i of the hypnogram (read with the PSG's length)
/// is epoch i of the study; an epoch keeps its stage only when it is scorable (no gap, not flat)
/// and scored W/N1/N2/N3/R, otherwise it is <see cref="SleepStage.Unscored"/>.
/// </summary>
public static class NightImageLoader
{
    /// <summary>Loads the pairs (nights in parallel); nights without sleep are skipped with a warning.</summary>
    /// <exception cref="TrainingDataException">A file is unreadable, or no night holds sleep; the message names the file.</exception>
    public static IReadOnlyList<LoadedNight> Load(IReadOnlyList<PsgPair> pairs, NightImageOptions options, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(warnings);
        var nights = new LoadedNight?[pairs.Count];
        var notes = new List<string>[pairs.Count];
        try
        {
            Parallel.For(0, pairs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism) }, i =>
            {
                notes[i] = [];
                nights[i] = Load(pairs[i], options, notes[i]);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); // the first file's own error, not a wrapper
        }

        foreach (string note in notes.SelectMany(n => n))
        {
            warnings.Add(note);
        }

        LoadedNight[] loaded = [.. nights.OfType<LoadedNight>()];
        return loaded.Length > 0 ? loaded : throw new TrainingDataException($"None of the {pairs.Count} night(s) holds a scored sleep epoch.");
    }

    /// <summary>Loads one pair; null (with a warning) when the night holds no sleep epoch.</summary>
    /// <exception cref="TrainingDataException">A file is unreadable or lacks a model derivation.</exception>
    public static LoadedNight? Load(PsgPair pair, NightImageOptions options, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(warnings);
        (ConditionedStudy study, Hypnogram hypnogram) = Read(pair, options.Conditioning, warnings);
        SleepStage[] stages = Stages(study, hypnogram);
        int[] all = [.. Enumerable.Range(0, stages.Length)];
        (int First, int Last)? window = options.WholeRecording ? (0, stages.Length - 1) : Baseline.SleepPeriod.Window(all, stages);
        if (window is not (int from, int to))
        {
            warnings.Add($"{pair.Name}: no scored sleep epoch; skipped.");
            return null;
        }

        (int first, int last) = (Math.Max(0, from), Math.Min(stages.Length - 1, to));
        ConditionedDerivation[] derivations = [.. NightImageOptions.Derivations.Select(name => study.Derivations.FirstOrDefault(d => d.Name == name)
            ?? throw new TrainingDataException($"{Path.GetFileName(pair.PsgPath)}: the montage provides no '{name}'."))];

        float[][] signals = [.. derivations.Select(d => d.Samples.ToArray())];
        options.BandwidthAugmentation?.Apply(signals, pair.Name);

        // Normalised over the span the images are cut from (the sleep period ± 30 min of wake), which is
        // what scoring's sleep span approximates without labels — or, for a normalisation over the recording,
        // over the analysed period as scoring measures it; measured as recorded, before any bandwidth
        // augmentation's low-pass (at 20 Hz and above it leaves the slow activity that sets an epoch's median |x|).
        (int spanFirst, int spanLast) = options.AmplitudeNormalisation is { OverRecording: true } ? study.AnalysedEpochs() : (first, last);
        float[] gains = Gains(study, derivations, options.AmplitudeNormalisation, spanFirst, spanLast);
        var views = new EpochViews(options.Views, options.Layout.MicrovoltsPerHalfStrip);

        // Narrow-band hours: the night conditioned again up to the narrow edge and normalised there, as the scorer
        // conditions and normalises such a study.
        NarrowBandAugmentation? narrowBand = options.NarrowBandAugmentation;
        float[][]? narrowSignals = null;
        float[]? narrowGains = null;
        EpochViews? narrowViews = null;
        if (narrowBand is not null)
        {
            // The edge is the card's: hours drawn without one would be a presentation the scorer never makes.
            double edge = options.NarrowBand ?? throw new ArgumentException("Narrow-band hours need the model's narrow band (NightImageOptions.NarrowBand), which its card names.", nameof(options));
            (ConditionedStudy narrowStudy, _) = Read(pair, options.Conditioning with { LowPass = edge }, []);
            ConditionedDerivation[] narrowDerivations = [.. NightImageOptions.Derivations.Select(name => narrowStudy.Derivations.First(d => d.Name == name))];
            narrowSignals = [.. narrowDerivations.Select(d => d.Samples.ToArray())];
            narrowGains = Gains(narrowStudy, narrowDerivations, options.AmplitudeNormalisation, spanFirst, spanLast);
            narrowViews = new EpochViews(options.Views, options.Layout.MicrovoltsPerHalfStrip, edge);
        }

        // Filter hours: the full band through a sensing low-pass (zero-phase, order 2, as the scorer filters a
        // candidate) at the night's own normalisation gains, the views at or above the edge silent.
        double[] filterEdges = narrowBand is { FilterProbability: > 0 } ? [.. options.FilterEdges ?? []] : [];
        var filterSignals = new float[filterEdges.Length][][]; // made when an hour first needs one
        EpochViews[] filterViews = [.. filterEdges.Select(e => new EpochViews(options.Views, options.Layout.MicrovoltsPerHalfStrip, e))];

        using IEpochImageRenderer renderer = ModelImageRenderers.Create(options.Layout, signals.Length * views.Count, options.DrawingMode, options.Antialias);
        int size = renderer.ImageByteCount, count = last - first + 1;
        var pixels = new byte[(long)count * size];
        var scratch = new float[renderer.Geometry.DerivationCount * renderer.Geometry.SamplesPerEpoch];
        for (int p = 0; p < count; p++)
        {
            int epoch = first + p, hour = epoch / BandwidthAugmentation.BlockEpochs;
            int filter = narrowBand is null ? -1 : narrowBand.Filter(pair.Name, hour, filterEdges.Length);
            if (filter >= 0)
            {
                filterSignals[filter] ??= [.. signals.Select(x => LowPassed(x, filterEdges[filter]))];
                filterViews[filter].Gather(filterSignals[filter], gains, epoch, scratch);
            }
            else if (narrowBand is not null && narrowBand.Narrow(pair.Name, hour))
            {
                narrowViews!.Gather(narrowSignals!, narrowGains!, epoch, scratch);
            }
            else
            {
                views.Gather(signals, gains, epoch, scratch);
            }

            renderer.Render(scratch, pixels.AsSpan(p * size, size));
        }

        var images = new NightImages(pair.SubjectId, pair.NightId, renderer.Geometry.PlotHeight, renderer.Geometry.PlotWidth, pixels, stages[first..(last + 1)], all[first..(last + 1)]);
        return new LoadedNight(pair, images, stages.Length);
    }

    /// <summary>A copy of <paramref name="signal"/> through a zero-phase order-2 low-pass at <paramref name="edge"/> Hz (empty stays empty).</summary>
    private static float[] LowPassed(float[] signal, double edge)
    {
        float[] copy = [.. signal];
        if (copy.Length > 0)
        {
            ZeroPhaseFilter.Edges(SignalConditioner.ModelRate, null, edge).Apply(copy);
        }

        return copy;
    }

    /// <summary>
    /// Per derivation, <paramref name="normalisation"/>'s gain for its night amplitude over epochs
    /// [<paramref name="first"/>, <paramref name="last"/>] (1 without one, or for an absent derivation):
    /// applied by <see cref="EpochViews.Gather(float[][], ReadOnlySpan{float}, int, Span{float})"/>, as scoring applies its gains.
    /// </summary>
    private static float[] Gains(ConditionedStudy study, ConditionedDerivation?[] derivations, AmplitudeNormalisation? normalisation, int first, int last) =>
        [.. derivations.Select((d, slot) => normalisation is not null && d is not null
            ? normalisation.Gain(slot, EpochAmplitude.NightQuantile(study, d, first, last, normalisation.Quantile))
            : 1f)];

    /// <summary>
    /// An unscored study (no hypnogram: a site's unlabelled recordings for test-time adaptation) as
    /// images of every scorable epoch of the whole recording: a study that lacks the model's band
    /// (<see cref="NarrowBandRecording"/>) in the narrow-band presentation of a model that has one, as
    /// the scorer draws it, and a normalisation measured over its analysed period
    /// (<see cref="ConditionedStudy.AnalysedEpochs"/>: the lights period, else the whole recording) —
    /// where the scorer measures one over the recording; for a normalisation over the sleep span it
    /// measures over its own scan's span, and a study shorter than a night it brings among the
    /// training amplitudes instead (a site's nights are nights). Every stage is Unscored.
    /// </summary>
    /// <exception cref="TrainingDataException">The file is unreadable or has no EEG derivation.</exception>
    public static NightImages LoadUnscored(string psgPath, NightImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(psgPath);
        ArgumentNullException.ThrowIfNull(options);
        ConditionedStudy study;
        double? bandEdge;
        try
        {
            using EdfReader reader = EdfReader.Open(psgPath);
            bandEdge = NarrowBandRecording.Presentation(reader, null, options.ConditioningLowPass, options.NarrowBand)?.Edge;
            study = new StudyConditioner(options.Conditioning with { LowPass = bandEdge ?? options.ConditioningLowPass }).Condition(reader);
        }
        catch (Exception e) when (e is EdfFormatException or MontageException or StudyDurationException)
        {
            throw new TrainingDataException($"{Path.GetFileName(psgPath)}: {e.Message}", e);
        }

        int[] scorable = [.. study.Epochs.Where(e => e.Scorable).Select(e => e.Index)];
        ConditionedDerivation?[] derivations = [.. NightImageOptions.Derivations.Select(name => study.Derivations.FirstOrDefault(d => d.Name == name))];
        float[][] bands = [.. derivations.Select(d => d?.Samples.ToArray() ?? [])];
        (int first, int last) = study.AnalysedEpochs();
        float[] gains = Gains(study, derivations, options.AmplitudeNormalisation, first, last);
        var views = new EpochViews(options.Views, options.Layout.MicrovoltsPerHalfStrip, bandEdge);
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(options.Layout, bands.Length * views.Count, options.DrawingMode, options.Antialias);
        int size = renderer.ImageByteCount;
        var pixels = new byte[(long)scorable.Length * size];
        var scratch = new float[renderer.Geometry.DerivationCount * renderer.Geometry.SamplesPerEpoch];
        for (int p = 0; p < scorable.Length; p++)
        {
            views.Gather(bands, gains, scorable[p], scratch);
            renderer.Render(scratch, pixels.AsSpan(p * size, size));
        }

        string name = Path.GetFileNameWithoutExtension(psgPath);
        return new NightImages(name, 0, renderer.Geometry.PlotHeight, renderer.Geometry.PlotWidth, pixels, new SleepStage[scorable.Length].Select(_ => SleepStage.Unscored).ToArray(), scorable);
    }

    private static (ConditionedStudy Study, Hypnogram Hypnogram) Read(PsgPair pair, ConditioningOptions conditioning, ICollection<string> warnings)
    {
        string file = Path.GetFileName(pair.PsgPath);
        try
        {
            using EdfReader reader = EdfReader.Open(pair.PsgPath);
            ConditionedStudy study = new StudyConditioner(conditioning).Condition(reader);
            file = Path.GetFileName(pair.HypnogramPath);
            AnnotatedHypnogram annotated = HypnogramEdf.Read(pair.HypnogramPath, recordingSeconds: study.Duration);
            if (annotated.Hypnogram.StartTime is DateTime start && start != reader.Header.StartTime)
            {
                throw new TrainingDataException($"{file}: starts at {start:HH:mm:ss}, its PSG at {reader.Header.StartTime:HH:mm:ss}; epochs would not align.");
            }

            foreach (string warning in study.Warnings.Concat(annotated.Warnings).Distinct(StringComparer.Ordinal))
            {
                warnings.Add($"{pair.Name}: {warning}");
            }

            return (study, annotated.Hypnogram);
        }
        catch (Exception e) when (e is EdfFormatException or HypnogramFormatException or MontageException or StudyDurationException)
        {
            throw new TrainingDataException($"{file}: {e.Message}", e);
        }
    }

    /// <summary>The scored stage of every study epoch, or Unscored when the epoch or its score is unusable.</summary>
    private static SleepStage[] Stages(ConditionedStudy study, Hypnogram hypnogram)
    {
        var stages = new SleepStage[study.Epochs.Count];
        for (int i = 0; i < stages.Length; i++)
        {
            SleepStage scored = i < hypnogram.Count ? hypnogram.Stages[i] : SleepStage.Unscored;
            stages[i] = study.Epochs[i].Scorable && EpochDataset.IsScored(scored) ? scored : SleepStage.Unscored;
        }

        return stages;
    }
}
