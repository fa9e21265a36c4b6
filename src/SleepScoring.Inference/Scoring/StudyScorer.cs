using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Montage;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Edf;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
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

    public StudyScorer(StagingModel model, StudyConditioner? conditioner = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.conditioner = conditioner ?? new StudyConditioner();
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
    /// (for callers that also draw the model's signals, <see cref="ModelSignals"/>): only the model's
    /// derivations (and EEG, for the flat-signal check) are kept as 100-Hz float; the other sources are
    /// streamed through the clipping check, so the warnings are those of the whole montage.
    /// </summary>
    public ConditionedStudy Condition(EdfReader reader, ScoringRequest request)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(request);
        return conditioner.Condition(reader, request.ChannelMappings, request.Lights, model.Card.Input.Derivations);
    }

    /// <summary>Scores an already conditioned study of <paramref name="reader"/>.</summary>
    public ScoredStudy Score(EdfReader reader, ConditionedStudy study, ScoringRequest request, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(request);
        progress?.Report(new ScoringProgress("rendering and encoding", 0));
        float[][] signals = ModelSignals(study);
        int epochs = study.Epochs.Count;
        cancellationToken.ThrowIfCancellationRequested();

        byte[] embeddings = new byte[epochs * model.Encoder.EmbeddingSize];
        float[][,]? grids = request.Explain ? new float[epochs][,] : null;
        var clock = new StepClock();
        var night = new NightEncoder(model);
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

        IReadOnlyList<EpochReview> queue = ReviewQueue.Build(stages, confidence, model.Card.ReviewThreshold);
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
            study.Montage.Sources.Select(s => new DerivationUsed(s.Derivation.Name, s.Derivation.Role.ToString(), s.ReferenceLabel is null ? s.SignalLabel : $"{s.SignalLabel} − {s.ReferenceLabel}", s.How.ToString())).ToArray(),
            study.Warnings.Distinct(StringComparer.Ordinal).ToArray(), // the montage and the conditioner can both note the same channel
            hypnogram,
            statistics,
            model.Card.ReviewThreshold,
            queue,
            scored)
        {
            Embeddings = embeddings,
            Timings = new ScoringTimings(TimeSpan.Zero, clock.Rendering, clock.Encoding, clock.Saliency, clock.Staging, clock.Summarising),
        };
    }

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
        float[][] signals = ModelSignals(study);
        byte[] image = new byte[model.Encoder.ImageBytes];
        IEpochImageRenderer renderer = model.CreateRenderer();
        float[] samples = new float[renderer.Geometry.DerivationCount * ConditionedEpoch.Samples];
        model.CreateViews().Gather(signals, epoch, samples);
        renderer.Render(samples, image);
        (renderer as IDisposable)?.Dispose();

        byte[] neighbours = new byte[model.Sequence.Window * model.Encoder.EmbeddingSize];
        model.Sequence.FillWindow(scored.Embeddings, scored.Epochs.Count, epoch, neighbours);

        return (image, neighbours);
    }

    /// <summary>The conditioned derivations in the order of the model's image strips.</summary>
    public float[][] ModelSignals(ConditionedStudy study) =>
        model.Card.Input.Derivations.Select(name => study.Derivations.FirstOrDefault(d => d.Name == name)?.Samples
            ?? throw new InvalidOperationException($"The model reads '{name}', which the montage did not provide (it provides {string.Join(", ", study.Derivations.Select(d => d.Name))}).")).ToArray();

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
