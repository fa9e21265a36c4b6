
using SleepScoring.Analysis;
using SleepScoring.Edf;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Inference.Sensing;
using SleepScoring.Model;
using SleepScoring.Tests.Common;

namespace SleepScoring.Inference.Tests.Scoring;

/// <summary>
/// The scoring pipeline end to end on the committed surrogate study, with contract graphs of the
/// card's geometry in place of a trained model: this checks the plumbing (epochs, montage,
/// stages from probabilities, saliency shapes, statistics, review flags), not accuracy.
/// </summary>
public sealed class StudyScorerTests : IDisposable
{
    private const int Segments = ContractModel.Segments, Window = ContractModel.Window;
    private readonly ContractModel contract = new();
    private readonly string directory;
    private readonly string study = Path.Combine(SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf");

    public StudyScorerTests() => directory = contract.Directory;

    [Fact]
    public void Scores_every_epoch_of_the_sample_study_with_consistent_stages_statistics_and_explanations()
    {
        using StagingModel model = StagingModel.Load(directory);
        using EdfReader reader = EdfReader.Open(study);

        ScoredStudy result = new StudyScorer(model).Score(reader);

        // sample-data/README.md: 255 data records of 30 s, Sleep-EDF labels.
        Assert.Equal(255, result.Epochs.Count);
        Assert.Equal(255, result.Hypnogram.Count);
        Assert.Contains(result.Derivations, d => d.Name == "EEG Fpz-Cz" && d.Source == "EEG Fpz-Cz");
        Assert.Null(result.Recording.PatientIdentification);
        foreach (ScoredEpoch epoch in result.Epochs.Where(e => e.Stage != SleepStage.Unscored))
        {
            float[] p = epoch.Probabilities!;
            Assert.Equal(1f, p.Sum(), 3);
            Assert.Equal(Array.IndexOf(p, p.Max()), (int)epoch.Stage);
            Assert.Equal(p.Max(), epoch.Confidence);
            Assert.Equal((2, Segments), (epoch.Saliency!.Grid.GetLength(0), epoch.Saliency.Grid.GetLength(1)));
            Assert.Equal(2.0, epoch.Saliency.SegmentSeconds);
            Assert.Equal(Window, epoch.Saliency.Neighbours.Length);
            Assert.Equal(1f, epoch.Saliency.Neighbours.Sum(), 3);
            Assert.Equal(epoch.Confidence < 0.3, epoch.Review && result.ReviewQueue.First(r => r.Index == epoch.Index).Reasons.HasFlag(ReviewReason.LowConfidence));
        }

        int sleepEpochs = result.Hypnogram.Stages.Count(s => s is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R);
        Assert.Equal(sleepEpochs * 0.5, result.Statistics.TotalSleepTimeMinutes, 6);
        Assert.Equal(result.Epochs.Select(e => e.OnsetSeconds), Enumerable.Range(0, 255).Select(i => i * 30.0));
    }

    [Fact]
    public void Scoring_that_conditions_only_the_model_derivations_gives_the_same_json_as_conditioning_all()
    {
        using StagingModel model = StagingModel.Load(directory);
        var scorer = new StudyScorer(model);
        var request = new ScoringRequest();
        using EdfReader allReader = EdfReader.Open(study);
        using EdfReader modelReader = EdfReader.Open(study);
        Analysis.Conditioning.ConditionedStudy all = new Analysis.Conditioning.StudyConditioner().Condition(allReader);
        Analysis.Conditioning.ConditionedStudy modelOnly = scorer.Condition(modelReader, request);

        ScoredStudy fromAll = scorer.Score(allReader, all, request);
        ScoredStudy fromModelOnly = scorer.Score(modelReader, modelOnly, request);

        // The sample study's montage has EEG Fpz-Cz, EEG Pz-Oz and the EOG; the model reads the two EEG derivations.
        Assert.Equal(3, all.Derivations.Count);
        Assert.Equal(model.Card.Input.Derivations, modelOnly.Derivations.Select(d => d.Name));
        Assert.Equal(fromAll.Embeddings, fromModelOnly.Embeddings);
        Assert.Equal(Json(fromAll), Json(fromModelOnly));
    }

    [Fact]
    public void A_study_conditioned_into_files_scores_and_filters_as_in_memory()
    {
        // A sensing filter in the search and in the presentation scored: both make filtered copies of the night.
        using StagingModel model = StagingModel.Load(directory);
        SensingFilter lowPass = SensingFilter.Parse("lp:25");
        var scorer = new StudyScorer(model, sensing: new SensingOptions { Filters = [lowPass] });
        var request = new ScoringRequest();
        string folder = Directory.CreateTempSubdirectory("scorer-files-").FullName;
        try
        {
            using EdfReader memoryReader = EdfReader.Open(study);
            using EdfReader fileReader = EdfReader.Open(study);
            Analysis.Conditioning.ConditionedStudy inMemory = scorer.Condition(memoryReader, request);
            using (Analysis.Conditioning.ConditioningStorage storage = Analysis.Conditioning.ConditioningStorage.InFolder(folder))
            {
                Analysis.Conditioning.ConditionedStudy inFiles = scorer.Condition(fileReader, request, storage);
                Assert.NotEmpty(Directory.GetFiles(folder));

                Assert.Equal(Json(scorer.Score(memoryReader, inMemory, request)), Json(scorer.Score(fileReader, inFiles, request)));

                SensingCandidate filtered = scorer.Assignments(inMemory)[0] with { Filter = lowPass };
                ScoredStudy fromMemory = scorer.ScoreAs(memoryReader, inMemory, request, filtered);
                ScoredStudy fromFiles = scorer.ScoreAs(fileReader, inFiles, request, scorer.Assignments(inFiles)[0] with { Filter = lowPass });
                Assert.Equal(Json(fromMemory), Json(fromFiles));

                // The filtered copy equals the whole-night filter run on an array, bit for bit.
                float[] expected = [.. inMemory.Derivations[0].Samples.ToArray()]; // a copy: a memory store hands out its own array
                lowPass.Create(Analysis.Conditioning.SignalConditioner.ModelRate).Apply(expected);
                Assert.Equal(expected, scorer.ModelSignals(inFiles, fromFiles)[0].ToArray());
                Assert.Equal(expected, scorer.ModelSignals(inMemory, fromMemory)[0].ToArray());
            }

            Assert.Empty(Directory.GetFiles(folder)); // the storage removes its tracks, passes and filtered copies
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Progress_from_side_by_side_workers_rises_step_by_step_to_done()
    {
        using StagingModel model = StagingModel.Load(directory, new InferenceOptions { Workers = 3, Threads = 1 });
        using EdfReader reader = EdfReader.Open(study);
        var reports = new Reports();

        new StudyScorer(model).Score(reader, progress: reports);

        // 255 epochs in 64-epoch batches: 4 batch reports after the step's opening 0.
        List<ScoringProgress> encoding = [.. reports.Seen.Where(r => r.Stage == "rendering and encoding")];
        Assert.Equal(5, encoding.Count);
        Assert.Equal(encoding.Select(r => r.Fraction).Order(), encoding.Select(r => r.Fraction));
        Assert.Equal(0.9, encoding[^1].Fraction, 12);
        Assert.Equal(["conditioning", "sensing", "rendering and encoding", "staging", "done"], reports.Seen.Select(r => r.Stage).Distinct());
    }

    [Fact]
    public void Patient_identification_is_copied_only_when_asked()
    {
        using StagingModel model = StagingModel.Load(directory);
        using EdfReader reader = EdfReader.Open(study);

        ScoredStudy result = new StudyScorer(model).Score(reader, new ScoringRequest { IncludePatientIdentification = true, Explain = false });

        Assert.Equal(reader.Header.PatientIdentification, result.Recording.PatientIdentification);
        Assert.All(result.Epochs, e => Assert.Null(e.Saliency));
    }

    [Fact]
    public void A_model_file_that_differs_from_its_card_is_refused()
    {
        contract.WriteCard(encoderDigest: new string('0', 64));

        ModelFileException e = Assert.Throws<ModelFileException>(() => StagingModel.Load(directory));

        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);
        Assert.Contains("encoder.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Occlusion_of_a_scored_epoch_uses_its_real_image_and_neighbours()
    {
        using StagingModel model = StagingModel.Load(directory);
        using EdfReader reader = EdfReader.Open(study);
        var scorer = new StudyScorer(model);
        var request = new ScoringRequest { Explain = false };
        Analysis.Conditioning.ConditionedStudy conditioned = scorer.Condition(reader, request);
        ScoredStudy scored = scorer.Score(reader, conditioned, request);
        int epoch = scored.Epochs.First(e => e.Stage != SleepStage.Unscored).Index;

        float[,] drops = scorer.Occlude(conditioned, scored, epoch);

        // Masking nothing the contract model reads (it reads cell (0, 0) only) changes nothing.
        Assert.Equal((2, Segments), (drops.GetLength(0), drops.GetLength(1)));
        Assert.All(drops.Cast<float>().Skip(1), d => Assert.Equal(0f, d));
        Assert.Equal(scored.Epochs.Count * ContractModel.Dim, scored.Embeddings.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Occlude(conditioned, scored, scored.Epochs.Count));
    }

    public void Dispose() => contract.Dispose();

    /// <summary>Records every report on the reporting thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    private sealed class Reports : IProgress<ScoringProgress>
    {
        public List<ScoringProgress> Seen { get; } = [];

        public void Report(ScoringProgress value) => Seen.Add(value);
    }

    private static string Json(ScoredStudy scored)
    {
        using var stream = new MemoryStream();
        ScoredStudyJson.Write(scored, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
