using System.Globalization;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Signals;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Edf;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Sensing;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Scoring;

/// <summary>
/// EDF in, explained hypnogram out: conditions the study (montage, 100 Hz, filters, epoch table),
/// renders every epoch as the model's image, runs the integer encoder in batches on the model's
/// workers side by side (<see cref="NightEncoder"/>: saliency from each batch's attention as it
/// finishes, so attention maps never accumulate), slides the inter-epoch model over the night, and
/// derives stages, confidence, statistics and the review queue. The night is held as float once
/// (the model's conditioned derivations at 100 Hz). Not thread-safe: one scoring at a time per
/// model, as its sessions.
/// </summary>
public sealed class StudyScorer
{

    private readonly StagingModel model;
    private readonly StudyConditioner conditioner;
    private readonly AdaptiveSensing sensing;
    private readonly SensingOptions sensingOptions;
    private readonly DerivationRole[] slotRoles;

    public StudyScorer(StagingModel model, StudyConditioner? conditioner = null, SensingOptions? sensing = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        // Conditioned as the model's images were drawn (a muscle view needs the recording up to 45 Hz).
        this.conditioner = conditioner ?? new StudyConditioner(ConditioningOptions.Default with { LowPass = model.Card.Input.EffectiveConditioningLowPass });
        sensingOptions = sensing ?? ModelSensing.Options(model.Card);
        this.sensing = new AdaptiveSensing(model, sensingOptions);
        slotRoles = AdaptiveSensing.SlotRoles(model);
    }

    /// <summary>Scores the study in <paramref name="reader"/>.</summary>
    /// <exception cref="MontageException">No usable EEG derivation.</exception>
    /// <exception cref="StudyTooShortException">Less than one epoch.</exception>
    public ScoredStudy Score(EdfReader reader, ScoringRequest? request = null, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        request ??= new ScoringRequest();
        progress?.Report(new ScoringProgress("conditioning", 0));
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        ConditionedStudy study = Condition(reader, request);
        TimeSpan conditioning = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        ScoredStudy result = Score(reader, study, request, progress, cancellationToken);
        return result with { Timings = result.Timings! with { Conditioning = conditioning } };
    }

    /// <summary>
    /// Conditions the study as <see cref="Score(EdfReader, ScoringRequest?, IProgress{ScoringProgress}?, CancellationToken)"/> does
    /// (for callers that also draw the model's signals, <see cref="SlotSignals"/>): only the model's
    /// derivations (and EEG, for the flat-signal check) are kept as 100-Hz float; the other sources are
    /// streamed through the clipping check, so the warnings are those of the whole montage.
    /// </summary>
    /// <param name="reader">The study.</param>
    /// <param name="request">Mappings and lights.</param>
    /// <param name="storage">Where the conditioned night lives: null, in memory; files keep the scorer's memory bounded whatever the night's length.</param>
    public ConditionedStudy Condition(EdfReader reader, ScoringRequest request, ConditioningStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(request);
        // A study that lacks the model's band is conditioned up to its narrow band instead, as the training
        // nights' narrow-band hours were: decided from the header, so the study is conditioned once.
        if (NarrowBandRecording.Presentation(reader, request.ChannelMappings, model.Card.Input.EffectiveConditioningLowPass, model.Card.Input.NarrowBand) is not (double edge, string why))
        {
            return conditioner.Condition(reader, request.ChannelMappings, request.Lights, model.Card.Input.Derivations, eegCandidates: request.AdaptiveSensing, storage: storage);
        }

        var narrow = new StudyConditioner(conditioner.Options with { LowPass = edge });
        ConditionedStudy study = narrow.Condition(reader, request.ChannelMappings, request.Lights, model.Card.Input.Derivations, eegCandidates: request.AdaptiveSensing, storage: storage);
        string note = string.Create(CultureInfo.InvariantCulture, $"Read as a narrow-band recording: {why}; the EEG is conditioned up to {edge:0.##} Hz (not {model.Card.Input.EffectiveConditioningLowPass:0.##}) and the views starting at or above it are drawn silent, as the model was trained to read such studies.");
        return study with { BandEdge = edge, Warnings = [.. study.Warnings, note] };
    }

    /// <summary>Scores an already conditioned study of <paramref name="reader"/>.</summary>
    public ScoredStudy Score(EdfReader reader, ConditionedStudy study, ScoringRequest request, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(request);
        progress?.Report(new ScoringProgress("sensing", 0));
        long sensingStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        SensingResult chosen = request.AdaptiveSensing ? sensing.Search(study, cancellationToken) : sensing.Plain(study, cancellationToken: cancellationToken);
        TimeSpan sensingTime = System.Diagnostics.Stopwatch.GetElapsedTime(sensingStarted);
        return Score(reader, study, request, chosen, sensingTime, progress, cancellationToken);
    }

    /// <summary>
    /// Scores <paramref name="study"/> presented as <paramref name="presentation"/> (one of its
    /// <see cref="Assignments"/>, any gains and filter), without searching: for benchmarks that
    /// compare presentations, or average them.
    /// </summary>
    public ScoredStudy ScoreAs(EdfReader reader, ConditionedStudy study, ScoringRequest request, SensingCandidate presentation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presentation);
        return Score(reader, study, request, new SensingResult(false, presentation, [], 0, "presentation given by the caller"), TimeSpan.Zero, null, cancellationToken);
    }

    /// <summary>
    /// Slot assignments of <paramref name="study"/> as the model's input takes them (gain 1, or a
    /// normalising model's gains): those adaptive sensing tries (the montage's first), or, for
    /// averaging hypnodensities, every pairing of derivations in their own slots
    /// (<see cref="SlotAssignments.Natural"/>) or those and each derivation alone (<see cref="SlotAssignments.Groups"/>).
    /// </summary>
    public IReadOnlyList<SensingCandidate> Assignments(ConditionedStudy study, AssignmentSet set = AssignmentSet.Sensing) =>
        sensing.AsInput(study, set switch
        {
            AssignmentSet.Natural => SlotAssignments.Natural(study, slotRoles),
            AssignmentSet.Groups => SlotAssignments.Groups(study, slotRoles),
            _ => SlotAssignments.For(study, slotRoles),
        });

    private ScoredStudy Score(EdfReader reader, ConditionedStudy study, ScoringRequest request, SensingResult chosen, TimeSpan sensingTime, IProgress<ScoringProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(request);
        SlotSignals signals = chosen.Chosen.Signals((d, f) => f == chosen.Chosen.Filter && chosen.WholeNightCopies.TryGetValue(d.Source.Key, out SampleStore<float>? made) ? made : Filtered(study, d, f), model.Card.Input, study.BandEdge);
        progress?.Report(new ScoringProgress("rendering and encoding", 0));
        int epochs = study.Epochs.Count;
        cancellationToken.ThrowIfCancellationRequested();

        byte[] embeddings = new byte[epochs * model.Encoder.EmbeddingSize];
        float[][,]? grids = request.Explain ? new float[epochs][,] : null;
        var clock = new StepClock();
        using var night = new NightEncoder(model, study.BandEdge);
        var gate = new object();
        int encoded = 0;
        night.Encode(signals, epochs, embeddings, grids, progress is null ? null : batch =>
        {
            // Workers finish batches concurrently; reports go out one at a time, in increasing order.
            lock (gate)
            {
                encoded += batch;
                progress.Report(new ScoringProgress("rendering and encoding", 0.9 * encoded / epochs));
            }
        }, clock, cancellationToken);

        progress?.Report(new ScoringProgress("staging", 0.9));
        clock.Start();
        int classes = model.Sequence.Classes;
        int[] raw = new int[epochs * classes];
        AttentionMaps? sequenceMaps = night.Stage(embeddings, epochs, raw, request.Explain);
        clock.Stop(ref clock.Staging);
        clock.Start();

        var scored = new ScoredEpoch[epochs];
        var stages = new SleepStage[epochs];
        var probabilities = new float[epochs][];
        var confidence = new double[epochs];
        for (int i = 0; i < epochs; i++)
        {
            ConditionedEpoch epoch = study.Epochs[i];
            probabilities[i] = StageProbabilities.Normalise(raw.AsSpan(i * classes, classes));
            if (!epoch.Scorable)
            {
                stages[i] = SleepStage.Unscored;
                confidence[i] = 1;
                scored[i] = new ScoredEpoch(epoch.Index, epoch.Onset, SleepStage.Unscored, null, null, epoch.Exclusion.ToString(), false, null);
                continue;
            }

            int best = StageProbabilities.ArgMax(probabilities[i]);
            stages[i] = (SleepStage)best;
            confidence[i] = probabilities[i][best];
            EpochSaliency? saliency = grids is null || sequenceMaps is null
                ? null
                : new EpochSaliency(grids[i], ConditionedEpoch.Length / model.Card.Input.Segments, AttentionRollout.NeighbourInfluence(sequenceMaps, i));
            scored[i] = new ScoredEpoch(epoch.Index, epoch.Onset, stages[i], probabilities[i], probabilities[i][best], null, false, saliency);
        }

        // As in the search: a recording shorter than a night is judged by entropy alone (an excerpt's stage shares need not be a night's).
        bool wholeNight = !sensingOptions.ShorterThanANight(study.ScorableEpochs);
        double? nightObjective = DistributionCheck.NightObjective(wholeNight ? sensingOptions.Objective : sensingOptions.Objective with { PriorWeight = 0 }, stages, probabilities);
        var studySensing = new StudySensing(chosen, nightObjective, ModelSensing.OutOfDistributionThreshold(model.Card));
        IReadOnlyList<EpochReview> queue = ReviewQueue.Build(stages, confidence, model.Card.ReviewThreshold, studySensing.OutOfDistribution);
        foreach (EpochReview review in queue)
        {
            scored[review.Index] = scored[review.Index] with { Review = true };
        }

        var hypnogram = new Hypnogram(stages, ConditionedEpoch.Length, reader.Header.StartTime, probabilities);
        SleepStatistics statistics = SleepStatisticsCalculator.Compute(hypnogram, study.Lights?.Off, study.Lights?.On);
        clock.Stop(ref clock.Summarising);
        progress?.Report(new ScoringProgress("done", 1));
        return new ScoredStudy(
            model.Card.Name,
            model.Card.Version,
            Summary(reader, study, request),
            Used(study, chosen.Chosen),
            Warnings(study, studySensing),
            hypnogram,
            statistics,
            model.Card.ReviewThreshold,
            queue,
            scored)
        {
            Embeddings = embeddings,
            Timings = new ScoringTimings(TimeSpan.Zero, sensingTime, clock.Rendering, clock.Encoding, clock.Saliency, clock.Staging, clock.Summarising),
            Sensing = studySensing,
            SlotNames = model.Card.Input.Derivations,
        };
    }

    /// <summary>The derivations the model read: each EEG slot as the sensing chose it (with region and gain), then EOG and EMG.</summary>
    private IReadOnlyList<DerivationUsed> Used(ConditionedStudy study, SensingCandidate chosen)
    {
        var used = new List<DerivationUsed>();
        for (int slot = 0; slot < chosen.Slots.Count; slot++)
        {
            if (chosen.Slots[slot] is ConditionedDerivation d)
            {
                Analysis.Montage.DerivationSource s = d.Source;
                used.Add(new DerivationUsed(model.Card.Input.Derivations[slot], slotRoles[slot].ToString(), s.SourceLabel, s.How.ToString()) { Region = s.Region?.ToString(), Gain = chosen.Gains[slot] });
            }
        }

        used.AddRange(study.Montage.Sources.Where(s => !s.Derivation.IsEeg)
            .Select(s => new DerivationUsed(s.Derivation.Name, s.Derivation.Role.ToString(), s.SourceLabel, s.How.ToString())));
        return used;
    }

    /// <summary>The study's warnings, the missing slots and the out-of-distribution warning added.</summary>
    private string[] Warnings(ConditionedStudy study, StudySensing studySensing)
    {
        var warnings = new List<string>(study.Warnings);
        SensingCandidate chosen = studySensing.Result.Chosen;
        for (int slot = 0; slot < chosen.Slots.Count; slot++)
        {
            if (chosen.Slots[slot] is null)
            {
                warnings.Add($"{model.Card.Input.Derivations[slot]} is not used (the study {(study.For(slotRoles[slot]) is null ? "has no such derivation" : "reads better without it")}): the model scored from the other EEG derivation, as trained to.");
            }
        }

        if (studySensing.BroadbandNoise)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The study carries broadband noise the model was not trained on and was read {ReadThrough(studySensing.Result.Chosen.Filter)}: review the whole study; every scored epoch is in the review queue."));
        }

        if (studySensing.AboveLimit)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The study is far from the data the model was trained on (sensing objective {studySensing.NightObjective:F3} over the night's sleep period, above the model's limit {studySensing.Threshold:F3}): review the whole study; every scored epoch is in the review queue."));
        }

        return [.. warnings.Distinct(StringComparer.Ordinal)]; // the montage and the conditioner can both note the same channel
    }

    /// <summary>How a study was read through <paramref name="filter"/>, and what that costs the EEG.</summary>
    private static string ReadThrough(SensingFilter filter) => filter.FloorFromHz is null
        ? $"through a {filter.Name} filter, which also takes part of the EEG band away"
        : $"with the {filter.Name}, which also takes away EEG weaker than the noise there";

    /// <summary>A filtered copy of a conditioned derivation for the chosen sensing filter, kept where the study keeps its samples.</summary>
    private static SampleStore<float> Filtered(ConditionedStudy study, ConditionedDerivation derivation, SensingFilter filter) =>
        filter.Apply(derivation.Samples, study.Storage);

    /// <summary>
    /// Occlusion explanation of one scored epoch (the faithful check of its saliency): the drop of
    /// its stage's probability when each [derivation, segment] cell of its image is blanked.
    /// <paramref name="study"/> is the conditioned study <paramref name="scored"/> was scored from.
    /// </summary>
    public float[,] Occlude(ConditionedStudy study, ScoredStudy scored, int epoch)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(scored);
        if (epoch < 0 || epoch >= scored.Epochs.Count || scored.Epochs[epoch].Stage is SleepStage.Unscored or SleepStage.Artefact)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"Epoch {epoch} is not a scored epoch of this study (0–{scored.Epochs.Count - 1}).");
        }

        (byte[] image, byte[] neighbours) = EpochInputs(study, scored, epoch);
        return Occlusion.Drops(model, image, neighbours, (int)scored.Epochs[epoch].Stage);
    }

    /// <summary>
    /// What the model saw for a scored epoch: its image and the window of night embeddings around it
    /// (zero embedding beyond the night), for occlusion and the deletion test.
    /// </summary>
    public (byte[] Image, byte[] Window) EpochInputs(ConditionedStudy study, ScoredStudy scored, int epoch)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(scored);
        SlotSignals signals = scored.Sensing?.Result.Chosen.Signals((d, f) => Filtered(study, d, f), model.Card.Input, study.BandEdge) ?? SlotSignals.Plain(ModelSignals(study));
        byte[] image = new byte[model.Encoder.ImageBytes];
        IEpochImageRenderer renderer = model.CreateRenderer();
        float[] samples = new float[renderer.Geometry.DerivationCount * ConditionedEpoch.Samples];
        DerivationWindow window = DerivationWindow.For(signals.Slots, 1);
        window.Load(signals.Slots, epoch, 1);
        model.CreateViews(signals.BandEdge ?? study.BandEdge).Gather(window, signals.Gains, epoch, samples);
        renderer.Render(samples, image);
        (renderer as IDisposable)?.Dispose();

        byte[] neighbours = new byte[model.Sequence.Window * model.Encoder.EmbeddingSize];
        model.Sequence.FillWindow(scored.Embeddings, scored.Epochs.Count, epoch, neighbours);

        return (image, neighbours);
    }

    /// <summary>
    /// The conditioned derivations in the order of the model's image strips, as the montage resolved
    /// them (µV, no gain; in memory or in files, as the study was conditioned); a slot the montage
    /// does not fill is an empty store (a silent trace, zeros wherever it is read as a night).
    /// </summary>
    public SampleStore<float>[] ModelSignals(ConditionedStudy study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return [.. slotRoles.Select(role => study.For(role)?.Samples ?? SlotSignals.Silent)];
    }

    /// <summary>
    /// The conditioned derivations the model read for <paramref name="scored"/>, in the order of its
    /// image strips (µV as recorded, without the sensing's gain, which only scales the model's image);
    /// a silent slot is an empty store.
    /// </summary>
    public SampleStore<float>[] ModelSignals(ConditionedStudy study, ScoredStudy scored)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(scored);
        return scored.Sensing is { } s ? s.Result.Chosen.Signals((d, f) => Filtered(study, d, f), model.Card.Input, study.BandEdge).Slots : ModelSignals(study);
    }

    private static RecordingSummary Summary(EdfReader reader, ConditionedStudy study, ScoringRequest request) => new(
        reader.Header.StartTime,
        study.Duration,
        study.Epochs.Count,
        study.ScorableEpochs,
        reader.Header.FileType.ToString(),
        study.Lights?.Off,
        study.Lights?.On,
        request.IncludePatientIdentification ? reader.Header.PatientIdentification : null,
        request.IncludePatientIdentification ? reader.Header.RecordingIdentification : null);
}
