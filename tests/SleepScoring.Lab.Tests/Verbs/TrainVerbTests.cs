using System.Security.Cryptography;
using System.Text.Json.Nodes;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.CommandLine;
using SleepScoring.Inference.Model;
using SleepScoring.Lab.Verbs;
using SleepScoring.Model;
using SleepScoring.Onnx;
using SleepScoring.Onnx.Proto;
using SleepScoring.Tests.Common;

namespace SleepScoring.Lab.Tests.Verbs;

/// <summary>
/// A tiny end-to-end run of <c>train</c> then <c>evaluate</c> on copies of the committed sample
/// night (one pass, small images, one torch thread): proves the verbs wire loading, training,
/// saving, reloading and scoring together, not that the model is good.
/// </summary>
public sealed class TrainVerbTests : IDisposable
{
    private static readonly string Sample = Path.Combine(SharedData.RepositoryRoot, "sample-data");
    private readonly string root = Directory.CreateTempSubdirectory("sleepscore-train-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_model_folder_keeps_its_cards_version_and_a_folder_without_a_card_gets_the_lab_default()
    {
        using var contract = new ContractModel();
        contract.WriteCard();

        Assert.Equal("0.0.0-test", TrainVerb.VersionOf(contract.Directory));
        Assert.Equal("0.0.0-dev", TrainVerb.VersionOf(root));
    }

    [Fact]
    public void Train_ThenEvaluate_WritesTheModelAndTheReport()
    {
        string data = DataFolder("SC4001E", "SC4011E"); // subjects 00 and 01: one trains, one validates
        string model = Path.Combine(root, "model");
        var output = new StringWriter();
        var error = new StringWriter();

        int trained = LabTool.Dispatcher.Run(["train", "--data", data, "--out", model, "--passes", "1", "--layout", "small", "--threads", "1", "--seed", "3", "--qat-passes", "1"], output, error);

        Assert.True(trained == VerbDispatcher.Success, error.ToString());
        Assert.True(File.Exists(Path.Combine(model, "classifier.bin")));
        Assert.True(File.Exists(Path.Combine(model, "sequence.bin")));
        JsonNode record = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "training.json")))!;
        Assert.Equal("sleepscore-lab train --data " + data + " --out " + model + " --passes 1 --layout small --threads 1 --seed 3 --qat-passes 1", (string?)record["command"]);
        // The shipped recipe without asking for it: two derivations, each drawn as its trace and the
        // theta, alpha, beta and muscle views (10 bands of 32 rows), amplitude normalised over the
        // recording, half the training hours narrow-band, no band dropout.
        Assert.Equal(320, (int?)record["model"]!["image_height"]);
        Assert.Equal(["raw@100", "4-8@20", "8-13@10", "13-30@10", "30-45@5"], record["image"]!["views"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("Envelope", (string?)record["image"]!["drawing_mode"]);
        Assert.Equal(2, record["nights"]!.AsArray().Count);
        Assert.Single(record["validation_subjects"]!.AsArray());
        Assert.Single(record["encoder_passes"]!.AsArray()); // --passes 1
        Assert.Equal(2, record["quantization_aware_passes"]!.AsArray().Count); // one quantization-aware pass per model

        // The folder is a complete model: the service loads it (sha256 checked) and scores with it.
        using (StagingModel staging = StagingModel.Load(model))
        {
            Assert.Equal(TrainVerb.DefaultVersion, staging.Card.Version);
            Assert.Equal(15, staging.Card.Input.Segments);
            Assert.Equal(5, staging.Views.Count);
            Assert.InRange(staging.Card.ReviewThreshold, 0, 1);
        }

        byte[] integerEncoder = File.ReadAllBytes(Path.Combine(model, ModelPackage.EncoderInteger));
        Assert.Empty(IntegerOnlyCheck.Violations(ModelProto.Parser.ParseFrom(integerEncoder)));
        Assert.Empty(IntegerOnlyCheck.Violations(ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(model, ModelPackage.SequenceInteger)))));
        JsonNode card = JsonNode.Parse(File.ReadAllText(Path.Combine(model, ModelCard.FileName)))!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(integerEncoder)), (string?)card["files"]!["sha256"]![ModelPackage.EncoderInteger]);
        Assert.True((double)card["calibration"]!["temperature"]! > 0);
        // Trained with the default derivation dropout (0.2 per image, 0.5 per window), which sensing reads from the card.
        Assert.Equal((0.2, 0.5), ((double)card["training"]!["derivation_dropout"]!["encoder"]!, (double)card["training"]!["derivation_dropout"]!["sequence"]!));
        Assert.Equal(0, (double)card["training"]!["bandwidth_augmentation"]!); // not asked for: nights as recorded
        Assert.Equal(0.5, (double)card["training"]!["narrow_band_probability"]!);
        Assert.Equal(0, (double)card["training"]!["band_dropout"]!);
        Assert.Equal(25, (double)card["input"]!["narrow_band"]!); // a 50-Hz study's Nyquist frequency
        Assert.Equal(45, (double)card["input"]!["conditioning_low_pass"]!); // the muscle view's upper edge
        Assert.True((bool)card["input"]!["amplitude_normalisation"]!["over_recording"]!);
        Assert.Equal(integerEncoder.LongLength, (long)card["file_bytes"]![ModelPackage.EncoderInteger]!);
        // The training night's amplitude per derivation, for sensing's gain estimate: one night, so its
        // range is that night alone; EEG of the surrogate nights is tens of µV, never nothing.
        JsonArray amplitude = card["input_amplitude"]!["derivations"]!.AsArray();
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], amplitude.Select(d => (string?)d!["derivation"]));
        Assert.All(amplitude, d =>
        {
            Assert.Equal(1, (int)d!["nights"]!);
            Assert.Equal((double)d["median"]!, (double)d["lowest"]!);
            Assert.Equal((double)d["median"]!, (double)d["highest"]!);
            Assert.InRange((double)d["median"]!, 1, 100);
        });

        // export quantizes an unchanged folder again into the very graphs train wrote: on the training
        // subjects' images as train drew them, half their hours narrow-band.
        string copy = Path.Combine(root, "exported");
        Directory.CreateDirectory(copy);
        foreach (string file in new[] { "classifier.bin", "sequence.bin", "training.json", ModelCard.FileName })
        {
            File.Copy(Path.Combine(model, file), Path.Combine(copy, file));
        }

        Assert.True(LabTool.Dispatcher.Run(["export", "--model", copy, "--data", data, "--threads", "1"], new StringWriter(), error) == VerbDispatcher.Success, error.ToString());
        Assert.Equal(integerEncoder, File.ReadAllBytes(Path.Combine(copy, ModelPackage.EncoderInteger)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(model, ModelPackage.SequenceInteger)), File.ReadAllBytes(Path.Combine(copy, ModelPackage.SequenceInteger)));

        output = new StringWriter();
        int evaluated = LabTool.Dispatcher.Run(["evaluate", "--model", model, "--data", data, "--threads", "1"], output, error);

        Assert.True(evaluated == VerbDispatcher.Success, error.ToString());
        JsonObject report = JsonNode.Parse(File.ReadAllText(Path.Combine(model, EvaluateVerb.ReportFile)))!.AsObject();
        foreach (string key in new[] { "accuracy", "kappa", "macro_f1", "per_class_f1", "confusion", "epochs", "nights" })
        {
            Assert.True(report.ContainsKey(key), key);
        }

        Assert.Equal(["W", "N1", "N2", "N3", "R"], report["per_class_f1"]!.AsObject().Select(p => p.Key));
        long perNight = CroppedScoredEpochs();
        Assert.Equal(2 * perNight, (long)report["epochs"]!);
        JsonArray confusion = report["confusion"]!.AsArray();
        Assert.Equal(5, confusion.Count);
        Assert.Equal(2 * perNight, confusion.Sum(row => row!.AsArray().Sum(c => (long)c!)));
        Assert.All(report["nights"]!.AsArray(), n => Assert.Equal(perNight, (long)n!["epochs"]!));
        Assert.Contains("pooled, float: accuracy", output.ToString(), StringComparison.Ordinal);
        // The folder holds the integer model too: evaluated as the service runs it, on the same epochs.
        Assert.Contains("pooled, integer on ONNX Runtime", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2 * perNight, (long)report["integer_onnx_runtime"]!["integer"]!["epochs"]!);
        Assert.InRange((double)report["integer_onnx_runtime"]!["same_stage_as_float"]!, 0, 1);
    }

    [Fact]
    public void Folds_CrossValidateBySubject_AndPoolEveryTestNight()
    {
        string data = DataFolder("SC4001E", "SC4011E", "SC4021E");
        string outDirectory = Path.Combine(root, "cv");
        var error = new StringWriter();

        int code = LabTool.Dispatcher.Run(["train", "--data", data, "--out", outDirectory, "--folds", "3", "--passes", "1", "--threads", "1"], new StringWriter(), error);

        Assert.True(code == VerbDispatcher.Success, error.ToString());
        JsonNode cv = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, TrainVerb.CrossValidationFile)))!;
        JsonArray folds = cv["folds"]!.AsArray();
        Assert.Equal(3, folds.Count);
        for (int j = 0; j < 3; j++)
        {
            // Sorted subjects 00, 01, 02; fold j tests the j-th; the other two train and validate.
            string test = $"0{j}";
            Assert.Equal([test], folds[j]!["test_subjects"]!.AsArray().Select(s => (string?)s));
            string validation = (string)folds[j]!["validation_subjects"]![0]!;
            Assert.NotEqual(test, validation);
            Assert.Equal(CroppedScoredEpochs(), (long)folds[j]!["epochs"]!);
            Assert.Equal(CroppedScoredEpochs(), (long)folds[j]!["integer"]!["epochs"]!);
            Assert.InRange((double)folds[j]!["same_stage_as_float"]!, 0, 1);
            Assert.True(File.Exists(Path.Combine(outDirectory, $"fold-{j}", ModelCard.FileName)));
        }

        Assert.Equal(3 * CroppedScoredEpochs(), (long)cv["pooled"]!["epochs"]!);
        Assert.Equal(VerbDispatcher.InputError, LabTool.Dispatcher.Run(["train", "--data", data, "--out", outDirectory, "--folds", "4"], new StringWriter(), error));

        // Run again into the same folder: every fold's weights are found and only evaluated, and the
        // report says which command trained them; other training settings are refused, not reused.
        var again = new StringWriter();
        Assert.Equal(VerbDispatcher.Success, LabTool.Dispatcher.Run(["train", "--data", data, "--out", outDirectory, "--folds", "3", "--passes", "1", "--threads", "1"], again, error));
        Assert.Equal(3, again.ToString().Split("trained weights found").Length - 1);
        JsonNode rerun = JsonNode.Parse(File.ReadAllText(Path.Combine(outDirectory, TrainVerb.CrossValidationFile)))!;
        Assert.Equal((double)cv["pooled"]!["accuracy"]!, (double)rerun["pooled"]!["accuracy"]!);
        Assert.StartsWith("sleepscore-lab train --data", (string?)rerun["folds"]![0]!["trained_by"], StringComparison.Ordinal);
        Assert.Equal(VerbDispatcher.InputError, LabTool.Dispatcher.Run(["train", "--data", data, "--out", outDirectory, "--folds", "3", "--passes", "1", "--threads", "1", "--augment", "none"], new StringWriter(), error));
        Assert.Contains("trained otherwise", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fold", "0", "needs --folds K")]
    [InlineData("--augment", "500", "--augment '500'")]
    [InlineData("--views", "alpha@10", "alpha@10")]
    [InlineData("--tables", "fast", "--tables 'fast'")]
    [InlineData("--amplitude-normalisation", "yes", "--amplitude-normalisation 'yes'")]
    [InlineData("--band-dropout", "1.5", "--band-dropout '1.5'")]
    [InlineData("--bandwidth-augmentation", "2", "--bandwidth-augmentation '2'")]
    public void Malformed_training_options_are_usage_errors_naming_the_value(string option, string value, string expected)
    {
        var error = new StringWriter();

        int code = LabTool.Dispatcher.Run(["train", "--data", Sample, "--out", Path.Combine(root, "m"), option, value], new StringWriter(), error);

        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--filter-band 0.6", "--filter-band 0.6 needs --narrow-band above 0 with the two adding to at most 1 (--narrow-band is 0.5)")]
    [InlineData("--filter-band 0.1 --narrow-band 0", "(--narrow-band is 0)")]
    [InlineData("--filter-band 0.1 --filter-edges 18", "'18' is not one of the sensing low-pass edges (20, 15 Hz)")]
    [InlineData("--filter-band 0.1 --filter-edges 20,20", "--filter-edges '20,20' names an edge twice")]
    public void Filter_hours_need_narrow_band_room_and_the_sensing_edges(string options, string expected)
    {
        var error = new StringWriter();

        int code = LabTool.Dispatcher.Run(["train", "--data", Sample, "--out", Path.Combine(root, "m"), .. options.Split(' ')], new StringWriter(), error);

        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fold_outside_the_cross_validation_is_a_usage_error()
    {
        var error = new StringWriter();

        int code = LabTool.Dispatcher.Run(["train", "--data", Sample, "--out", Path.Combine(root, "m"), "--folds", "3", "--fold", "3"], new StringWriter(), error);

        Assert.Equal(VerbDispatcher.UsageError, code);
        Assert.Contains("--fold '3' is not a fold number in [0, 3)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OneSubject_IsAnInputError_SayingTrainingNeedsTwo()
    {
        var error = new StringWriter();
        int code = LabTool.Dispatcher.Run(["train", "--data", DataFolder("SC4001E"), "--out", Path.Combine(root, "m"), "--threads", "1"], new StringWriter(), error);
        Assert.Equal(VerbDispatcher.InputError, code);
        Assert.Contains("needs at least 2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder_OrModel_AreInputErrors_AndAnUnknownLayoutIsAUsageError()
    {
        string absent = Path.Combine(root, "absent");
        var error = new StringWriter();
        Assert.Equal(VerbDispatcher.InputError, LabTool.Dispatcher.Run(["train", "--data", absent, "--out", root], new StringWriter(), error));
        Assert.Contains("does not exist", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(VerbDispatcher.InputError, LabTool.Dispatcher.Run(["evaluate", "--model", absent, "--data", Sample], new StringWriter(), error));
        Assert.Contains("training.json is missing", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(VerbDispatcher.UsageError, LabTool.Dispatcher.Run(["train", "--data", Sample, "--out", root, "--layout", "huge"], new StringWriter(), error));
        Assert.Contains("Unknown image geometry 'huge'", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A folder with the sample night copied under each name (subject = characters 3–4).</summary>
    private string DataFolder(params string[] names)
    {
        string folder = Path.Combine(root, "data-" + string.Join("-", names));
        Directory.CreateDirectory(folder);
        foreach (string name in names)
        {
            File.Copy(Path.Combine(Sample, "SC4001E0-PSG.edf"), Path.Combine(folder, name + "0-PSG.edf"));
            File.Copy(Path.Combine(Sample, "SC4001EC-Hypnogram.edf"), Path.Combine(folder, name + "C-Hypnogram.edf"));
        }

        return folder;
    }

    /// <summary>Scored epochs of the sample night within first/last sleep epoch ± 60, from the hypnogram alone.</summary>
    private static long CroppedScoredEpochs()
    {
        SleepStage[] stages = [.. HypnogramEdf.Read(Path.Combine(Sample, "SC4001EC-Hypnogram.edf"), recordingSeconds: 255 * 30).Hypnogram.Stages];
        static bool Sleep(SleepStage s) => s is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R;
        int first = Math.Max(0, Array.FindIndex(stages, Sleep) - 60), last = Math.Min(stages.Length - 1, Array.FindLastIndex(stages, Sleep) + 60);
        return stages[first..(last + 1)].Count(s => s <= SleepStage.R);
    }
}
