using System.Diagnostics;
using System.Globalization;

using Google.Protobuf;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.CommandLine;
using SleepScoring.Inference;
using SleepScoring.Inference.Model;
using SleepScoring.Lab.Evaluation;
using SleepScoring.Lab.Verbs;
using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;
using SleepScoring.Training.Data;
using SleepScoring.Training.Export;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench model</c>: the integer graphs against the float graphs of the same model,
/// side by side in one run (ONNX Runtime, 1 and 2 threads): a batch of 64 epochs through the
/// encoder, and a whole 8-h night (960 epochs: encoder in batches + the sliding inter-epoch
/// model). With <c>--model</c> it times a trained model folder's own graphs (the service's
/// integer ones and the float ones of the same weights); otherwise a seeded random model of the
/// shipped architecture, calibrated on rendered EEG-like epochs and exported both ways (speed does
/// not depend on trained weights). Also prints the integer graphs' operator histogram.
/// </summary>
internal sealed class BenchModelVerb : IVerb
{
    private const int NightEpochs = 960, Batch = 64;

    public string Name => "bench model";

    public string Arguments => "[--model <dir> [--write-card]] [--layout small|medium|large] [--segments N] [--repeats N] [--profile] [--save <dir>]";

    public string Summary => "integer vs float ONNX graphs: batch of 64 and an 8-h night, 1 and 2 threads";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--layout", "--segments", "--repeats", "--save"], ["--profile", "--write-card"]);
        if (options.Has("--write-card") && options.Optional("--model") is null)
        {
            throw new UsageException("--write-card needs --model <dir>: it records the latency in that folder's model card.");
        }

        var latency = new List<object>();
        int repeats = options.PositiveOr("--repeats", 5);
        byte[] intEncoder, intSequence, floatEncoder, floatSequence, night;
        ModelImageSpec image;
        ModelOptions model;
        if (options.Optional("--model") is string directory)
        {
            (image, model, intEncoder, intSequence, floatEncoder, floatSequence, string name) = Open(directory);
            night = RenderNight(image);
            output.WriteLine($"model: {name} from {directory}");
        }
        else
        {
            EpochImageLayout layout = EpochImageLayout.FromName(options.Optional("--layout") ?? "small");
            image = new NightImageOptions { Layout = layout, ExtraViews = TrainVerb.DefaultViews }.Spec(options.PositiveOr("--segments", 15));
            model = new ModelOptions { ImageHeight = image.ImageHeight, ImageWidth = image.Width, Derivations = image.Derivations.Count, Segments = image.Segments, Dropout = 0 };
            night = RenderNight(image);
            (intEncoder, intSequence, floatEncoder, floatSequence) = Export(model, night);
            output.WriteLine("model: random weights of the shipped architecture");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geometry: {model.ImageHeight}×{model.ImageWidth} image ({image.StripsPerDerivation} view(s) per derivation), {model.Derivations} × {model.Segments} tokens, dim {model.Dim}, {model.EncoderLayers}+{model.SequenceLayers} layers, window {model.Window}"));
        foreach ((string graph, byte[] bytes) in new[] { ("encoder", intEncoder), ("inter-epoch", intSequence) })
        {
            IReadOnlyDictionary<string, int> histogram = Onnx.IntegerOnlyCheck.OperatorHistogram(Onnx.Proto.ModelProto.Parser.ParseFrom(bytes));
            output.WriteLine($"integer {graph} operators ({histogram.Values.Sum()} nodes): {string.Join(", ", histogram.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"files: integer {intEncoder.Length / 1024.0:F0} + {intSequence.Length / 1024.0:F0} KB, float {floatEncoder.Length / 1024.0:F0} + {floatSequence.Length / 1024.0:F0} KB"));
        if (options.Optional("--save") is string save)
        {
            SaveModel(save, image, intEncoder, intSequence);
            output.WriteLine($"random benchmark model written to {save} (for `sleepscore-lab bench score --model {save}`)");
        }

        if (options.Has("--profile"))
        {
            Profile(output, intEncoder, intSequence, floatEncoder, floatSequence, night, model);
        }

        output.WriteLine($"load average at start: {LoadAverage()}");
        // At 1 thread ONNX Runtime computes on the calling thread, so its CPU time is the graph's own
        // cost even while other processes hold the cores; at 2 threads only the wall clock tells.
        output.WriteLine("threads | graph | batch of 64 (ms) | night of 960 (ms) | per epoch (µs) | night, CPU of the calling thread (ms)");
        foreach (int threads in new[] { 1, 2 })
        {
            var settings = new InferenceOptions { Threads = threads, EncoderBatchSize = Batch };
            using var intSessions = new GraphPair(EpochEncoderSession.Load(intEncoder, settings), InterEpochSession.Load(intSequence, settings));
            using var floatSessions = new FloatGraphPair(floatEncoder, floatSequence, threads, model);
            (Timing integer, Timing single) = Time(repeats, () => intSessions.Batch(night), () => intSessions.Night(night), () => floatSessions.Batch(night), () => floatSessions.Night(night));
            string Cpu(double ms) => threads == 1 && ThreadCpuClock.IsThreadCpuTime ? ms.ToString("F0", CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threads} | integer | {integer.Batch:F1} | {integer.Night:F0} | {integer.Night * 1000 / NightEpochs:F0} | {Cpu(integer.NightCpu)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threads} | float | {single.Batch:F1} | {single.Night:F0} | {single.Night * 1000 / NightEpochs:F0} | {Cpu(single.NightCpu)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threads} | float / integer | {single.Batch / integer.Batch:F2}× | {single.Night / integer.Night:F2}× | | {(threads == 1 ? (single.NightCpu / integer.NightCpu).ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a")}"));
            latency.Add(new
            {
                Threads = threads,
                IntegerBatch64Ms = integer.Batch,
                FloatBatch64Ms = single.Batch,
                IntegerNight960Ms = integer.Night,
                FloatNight960Ms = single.Night,
                IntegerPerEpochUs = integer.Night * 1000 / NightEpochs,
                FloatPerEpochUs = single.Night * 1000 / NightEpochs,
                IntegerNight960CpuMs = threads == 1 ? integer.NightCpu : (double?)null,
                FloatNight960CpuMs = threads == 1 ? single.NightCpu : (double?)null,
            });
        }

        if (options.Has("--write-card"))
        {
            ModelPackage.SetDetail(options.Required("--model"), "latency", new
            {
                Measured = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Machine = $"{Environment.ProcessorCount} cores, load average {LoadAverage()} at the end (shared machine: compare the ratios, not the times)",
                Runtime = "ONNX Runtime 1.31.1, CPU provider",
                Rows = latency,
            });
            output.WriteLine("latency written to the model card (its operator histogram is written by export)");
        }

        return VerbDispatcher.Success;
    }

    /// <summary>
    /// A model folder's night of 960 synthetic epochs through its integer and its float graphs at one
    /// thread, interleaved (median of <paramref name="repeats"/>): wall and calling-thread CPU milliseconds.
    /// </summary>
    internal static (double IntegerMs, double IntegerCpuMs, double FloatMs, double FloatCpuMs) TimeNight(string directory, int repeats)
    {
        (ModelImageSpec image, ModelOptions model, byte[] intEncoder, byte[] intSequence, byte[] floatEncoder, byte[] floatSequence, _) = Open(directory);
        byte[] night = RenderNight(image);
        var settings = new InferenceOptions { Threads = 1, EncoderBatchSize = Batch };
        using var intSessions = new GraphPair(EpochEncoderSession.Load(intEncoder, settings), InterEpochSession.Load(intSequence, settings));
        using var floatSessions = new FloatGraphPair(floatEncoder, floatSequence, 1, model);
        (Timing integer, Timing single) = Time(repeats, () => intSessions.Batch(night), () => intSessions.Night(night), () => floatSessions.Batch(night), () => floatSessions.Night(night));
        return (integer.Night, integer.NightCpu, single.Night, single.NightCpu);
    }

    /// <summary>The graphs of a model folder (digests verified) and the geometry the float pair needs.</summary>
    private static (ModelImageSpec Image, ModelOptions Model, byte[] IntEncoder, byte[] IntSequence, byte[] FloatEncoder, byte[] FloatSequence, string Name) Open(string directory)
    {
        ModelPackage package = ModelPackage.Open(directory);
        ModelImageSpec image = package.Card.Input;
        var model = new ModelOptions { ImageHeight = image.ImageHeight, ImageWidth = image.Width, Derivations = image.Derivations.Count, Segments = image.Segments, Dropout = 0 };
        return (image, model, package.ReadVerified(package.Card.Files.Encoder), package.ReadVerified(package.Card.Files.Sequence),
            package.ReadVerified(ModelPackage.EncoderFloat), package.ReadVerified(ModelPackage.SequenceFloat), $"{package.Card.Name} {package.Card.Version}");
    }

    /// <summary>A model directory (card + integer graphs) of the random model, for the end-to-end benchmark.</summary>
    private static void SaveModel(string directory, ModelImageSpec image, byte[] encoder, byte[] sequence) => ModelPackage.Write(directory, new ModelCard
    {
        Name = "random-benchmark-model",
        Version = "0.0.0-bench (random weights: for speed only)",
        Input = image,
        Files = new ModelFiles { Encoder = ModelPackage.EncoderInteger, Sequence = ModelPackage.SequenceInteger, Sha256 = new Dictionary<string, string>() },
        ReviewThreshold = 0.5,
    }, new Dictionary<string, byte[]> { [ModelPackage.EncoderInteger] = encoder, [ModelPackage.SequenceInteger] = sequence });

    /// <summary>
    /// One profiled night through each pair of graphs (one thread; 15 encoder runs of 64, 4
    /// inter-epoch runs of up to 256 windows), summed by operator type per graph.
    /// </summary>
    private static void Profile(TextWriter output, byte[] intEncoder, byte[] intSequence, byte[] floatEncoder, byte[] floatSequence, byte[] night, ModelOptions model)
    {
        string directory = Directory.CreateTempSubdirectory("sleepscore-profile-").FullName;
        InferenceOptions Settings(string graph) => new() { Threads = 1, EncoderBatchSize = Batch, ProfilePrefix = Path.Combine(directory, $"integer-{graph}") };
        using (var pair = new GraphPair(EpochEncoderSession.Load(intEncoder, Settings("encoder")), InterEpochSession.Load(intSequence, Settings("sequence"))))
        {
            pair.Night(night);
        }

        using (var pair = new FloatGraphPair(floatEncoder, floatSequence, 1, model, Path.Combine(directory, "float")))
        {
            pair.Night(night);
        }

        foreach (string file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            string[] parts = Path.GetFileName(file).Split('_')[0].Split('-');
            OrtProfile.Print(output, $"{parts[0]} {(parts[1] == "encoder" ? "encoder" : "inter-epoch model")}, night of {NightEpochs} epochs", file);
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Median milliseconds (wall, and CPU of the calling thread for the night), integer and float interleaved so both see the same machine load.</summary>
    private static (Timing Integer, Timing Float) Time(int repeats, Action intBatch, Action intNight, Action floatBatch, Action floatNight)
    {
        intBatch();
        intNight();
        floatBatch();
        floatNight();
        var samples = new List<(double Batch, double Night, double NightCpu)>[] { [], [] };
        for (int r = 0; r < repeats; r++)
        {
            samples[0].Add(Once(intBatch, intNight));
            samples[1].Add(Once(floatBatch, floatNight));
        }

        static Timing Summary(List<(double Batch, double Night, double NightCpu)> s) =>
            new(Median([.. s.Select(x => x.Batch)]), Median([.. s.Select(x => x.Night)]), Median([.. s.Select(x => x.NightCpu)]));
        return (Summary(samples[0]), Summary(samples[1]));
    }

    private static (double Batch, double Night, double NightCpu) Once(Action batch, Action night)
    {
        long start = Stopwatch.GetTimestamp();
        batch();
        double batchMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        TimeSpan cpu = ThreadCpuClock.Now;
        start = Stopwatch.GetTimestamp();
        night();
        return (batchMs, Stopwatch.GetElapsedTime(start).TotalMilliseconds, (ThreadCpuClock.Now - cpu).TotalMilliseconds);
    }

    private readonly record struct Timing(double Batch, double Night, double NightCpu);

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static byte[] RenderNight(ModelImageSpec image)
    {
        // The synthetic epochs laid end to end as night-long derivations, cut as the scorer cuts them.
        int derivations = image.Derivations.Count;
        float[][] epochs = SyntheticEeg.CreateEpochs(NightEpochs, derivations, ConditionedEpoch.Samples, SignalConditioner.ModelRate, seed: 1);
        float[][] signals = SyntheticEeg.AsNight(epochs, derivations, ConditionedEpoch.Samples);
        EpochViews cutter = image.CreateViews();
        using IEpochImageRenderer renderer = image.CreateRenderer();
        byte[] images = new byte[NightEpochs * image.ImageBytes];
        float[] samples = new float[derivations * image.StripsPerDerivation * ConditionedEpoch.Samples];
        for (int e = 0; e < NightEpochs; e++)
        {
            cutter.Gather(signals, e, samples);
            renderer.Render(samples, images.AsSpan(e * image.ImageBytes, image.ImageBytes));
        }

        return images;
    }

    private static (byte[], byte[], byte[], byte[]) Export(ModelOptions options, byte[] night)
    {
        torch.manual_seed(1);
        using var encoder = new EpochEncoder(options);
        using var sequence = new InterEpochTransformer(options);
        encoder.eval();
        sequence.eval();
        using Tensor calibration = tensor(night.AsSpan(0, 256 * options.ImageHeight * options.ImageWidth).ToArray(), [256, options.ImageHeight, options.ImageWidth]);
        IntegerEpochEncoder intEncoder = IntegerEpochEncoder.Quantize(encoder, calibration);
        using Tensor embeddings = Embed(encoder, calibration);

        using Tensor windows = embeddings[..(256 - (256 % options.Window))].reshape(-1, options.Window, options.Dim);
        IntegerSequenceModel intSequence = IntegerSequenceModel.Quantize(sequence, windows, intEncoder.EmbeddingScale);
        return (intEncoder.Export("bench").ToByteArray(), intSequence.Export("bench").ToByteArray(),
            FloatGraphExport.Encoder(encoder, "bench").ToByteArray(), FloatGraphExport.Sequence(sequence, "bench").ToByteArray());
    }

    private static Tensor Embed(EpochEncoder encoder, Tensor images)
    {
        using var noGrad = no_grad();
        using Tensor embedding = encoder.forward(images);
        return embedding.to_type(ScalarType.Float64);
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>The integer graphs through the product's own sessions.</summary>
    private sealed class GraphPair(EpochEncoderSession encoder, InterEpochSession sequence) : IDisposable
    {
        private const int BatchSize = 64;

        private readonly byte[] embeddings = new byte[NightEpochs * encoder.EmbeddingSize];
        private readonly int[] probabilities = new int[NightEpochs * sequence.Classes];

        public void Batch(byte[] night) =>
            encoder.Encode(night.AsSpan(0, BatchSize * encoder.ImageBytes), BatchSize, embeddings.AsSpan(0, BatchSize * encoder.EmbeddingSize), withAttention: true);

        public void Night(byte[] night)
        {
            encoder.Encode(night, NightEpochs, embeddings, withAttention: true);
            sequence.StageNight(embeddings, NightEpochs, probabilities, withAttention: true);
        }

        public void Dispose()
        {
            encoder.Dispose();
            sequence.Dispose();
        }
    }
}
