using SleepScoring.Onnx.Integer;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// The shipped pair in integers — <see cref="IntegerEpochEncoder"/> and
/// <see cref="IntegerSequenceModel"/> — calibrated on training images, with the night-long sliding
/// window the service runs (positions outside the night read the zero-point embedding 128, as
/// <c>Inference.InterEpochSession</c> pads). <see cref="Probabilities"/> is the exact integer
/// simulation, so evaluating it evaluates the exported graphs.
/// </summary>
public sealed class IntegerStagingModel
{
    private const byte PaddingEmbedding = 128;

    // Integer embeddings already computed during quantization (the held-out nights), by night: the
    // calibration curve that follows reads the same nights, and the encoder is the costly part.
    private readonly Dictionary<NightImages, byte[]> embedded;

    private IntegerStagingModel(IntegerEpochEncoder encoder, IntegerSequenceModel sequence, ModelOptions options, Dictionary<NightImages, byte[]> embedded)
    {
        this.embedded = embedded;
        Encoder = encoder;
        Sequence = sequence;
        Options = options;
    }

    /// <summary>The integer epoch encoder.</summary>
    public IntegerEpochEncoder Encoder { get; }

    /// <summary>The integer inter-epoch model.</summary>
    public IntegerSequenceModel Sequence { get; }

    /// <summary>Geometry and sizes of both models.</summary>
    public ModelOptions Options { get; }

    /// <summary>
    /// Quantizes both models: the encoder is calibrated on up to <paramref name="calibrationEpochs"/>
    /// images spread evenly over <paramref name="calibration"/>; the sequence model on windows of the
    /// integer encoder's own embeddings of whole nights (up to the same number of epochs), so its
    /// ranges are those it will see at inference. With <paramref name="heldOut"/> (subjects not
    /// trained on), the softmax temperature is fitted there (<see cref="TemperatureFit"/>) and folded
    /// into the logit scale: calibrated confidence without a float in the graph.
    /// </summary>
    public static IntegerStagingModel Quantize(EpochEncoder encoder, InterEpochTransformer sequence, EpochDataset calibration, EpochDataset? heldOut = null, int calibrationEpochs = 2048, FunctionTables tables = FunctionTables.IVitShifts)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentOutOfRangeException.ThrowIfLessThan(calibrationEpochs, 1);
        encoder.eval();
        sequence.eval();
        IntegerEpochEncoder integerEncoder;
        using (Tensor images = calibration.Images(Spread(calibration, calibrationEpochs)))
        {
            integerEncoder = IntegerEpochEncoder.Quantize(encoder, images, tables);
        }

        var windows = new List<Tensor>();
        int taken = 0;
        foreach (NightImages night in calibration.Nights)
        {
            if (taken >= calibrationEpochs)
            {
                break;
            }

            byte[] embeddings = Embed(integerEncoder, night, encoder.Options.Dim);
            windows.Add(DequantizedWindows(embeddings, night.Count, encoder.Options, integerEncoder.EmbeddingScale));
            taken += night.Count;
        }

        using Tensor all = cat(windows, 0);
        windows.ForEach(w => w.Dispose());
        var embedded = new Dictionary<NightImages, byte[]>(ReferenceEqualityComparer.Instance);
        double temperature = heldOut is null ? 1 : FitTemperature(sequence, integerEncoder, heldOut, embedded);
        IntegerSequenceModel integerSequence = IntegerSequenceModel.Quantize(sequence, all, integerEncoder.EmbeddingScale, temperature, tables);
        return new IntegerStagingModel(integerEncoder, integerSequence, encoder.Options, embedded);
    }

    /// <summary>Integer embeddings (uint8, zero point 128) of every epoch of <paramref name="night"/>, [Count × Dim].</summary>
    public byte[] Embeddings(NightImages night) =>
        embedded.TryGetValue(night ?? throw new ArgumentNullException(nameof(night)), out byte[]? known) ? known : Embed(Encoder, night, Options.Dim);

    /// <summary>
    /// Stage probabilities [Count, 5] of every epoch of <paramref name="night"/>: the integer
    /// Shiftmax output presented as the service presents it (raw / Σraw, uniform when all zero).
    /// </summary>
    public float[,] Probabilities(NightImages night, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(night);
        return Probabilities(Embeddings(night), night.Count, batchSize);
    }

    /// <summary>Stage probabilities [count, 5] of the integer sequence model over a night's uint8 <paramref name="embeddings"/> [count × Dim].</summary>
    public float[,] Probabilities(byte[] embeddings, int count, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        var result = new float[count, Options.Classes];
        for (int start = 0; start < count; start += batchSize)
        {
            int rows = Math.Min(batchSize, count - start);
            using var scope = NewDisposeScope();
            Tensor windows = tensor(Windows(embeddings, count, Options, start, rows), [rows, Options.Window, Options.Dim]);
            (Tensor probabilities, IReadOnlyList<Tensor> attention) = Sequence.Simulate(windows);
            long[] values = probabilities.data<long>().ToArray();
            for (int i = 0; i < rows; i++)
            {
                long sum = 0;
                for (int c = 0; c < Options.Classes; c++)
                {
                    sum += values[(i * Options.Classes) + c];
                }

                for (int c = 0; c < Options.Classes; c++)
                {
                    result[start + i, c] = sum > 0 ? (float)((double)values[(i * Options.Classes) + c] / sum) : 1f / Options.Classes;
                }
            }
        }

        return result;
    }

    /// <summary>Float windows [Count, L, Dim] of dequantized embeddings ((u − 128) · scale; padding reads 0).</summary>
    internal static Tensor DequantizedWindows(byte[] embeddings, int count, ModelOptions options, double scale)
    {
        using var scope = NewDisposeScope();
        Tensor windows = tensor(Windows(embeddings, count, options, 0, count), [count, options.Window, options.Dim]);
        return windows.to_type(ScalarType.Float64).Minus(128).Times(scale).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The temperature that minimises NLL of the centre logits on the scored epochs of <paramref name="heldOut"/>.</summary>
    private static double FitTemperature(InterEpochTransformer sequence, IntegerEpochEncoder encoder, EpochDataset heldOut, Dictionary<NightImages, byte[]> embedded)
    {
        var rows = new List<double[]>();
        var truth = new List<int>();
        using var p = new ParameterSet(sequence);
        using (no_grad())
        {
            foreach (NightImages night in heldOut.Nights)
            {
                byte[] embeddings = embedded[night] = Embed(encoder, night, sequence.Options.Dim);
                using Tensor windows = DequantizedWindows(embeddings, night.Count, sequence.Options, encoder.EmbeddingScale);
                using Tensor logits = IntegerSequenceModel.CalibrationForward(sequence.Options, p, windows, new ActivationRanges());
                double[] values = logits.data<double>().ToArray();
                for (int i = 0; i < night.Count; i++)
                {
                    if (EpochDataset.IsScored(night.Stages[i]))
                    {
                        rows.Add(values.AsSpan(i * sequence.Options.Classes, sequence.Options.Classes).ToArray());
                        truth.Add((int)night.Stages[i]);
                    }
                }
            }
        }

        if (rows.Count == 0)
        {
            return 1;
        }

        var matrix = new double[rows.Count, sequence.Options.Classes];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < sequence.Options.Classes; c++)
            {
                matrix[r, c] = rows[r][c];
            }
        }

        return TemperatureFit.Fit(matrix, truth);
    }

    private static byte[] Embed(IntegerEpochEncoder encoder, NightImages night, int dim, int batchSize = 128)
    {
        var result = new byte[night.Count * dim];
        int size = night.Height * night.Width;
        for (int start = 0; start < night.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, night.Count - start);
            var pixels = new byte[count * size];
            for (int i = 0; i < count; i++)
            {
                night.Image(start + i).CopyTo(pixels.AsSpan(i * size, size));
            }

            using var scope = NewDisposeScope();
            (Tensor embedding, IReadOnlyList<Tensor> attention) = encoder.Simulate(tensor(pixels, [count, night.Height, night.Width]));
            long[] values = embedding.data<long>().ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                result[(start * dim) + i] = (byte)values[i];
            }
        }

        return result;
    }

    private static byte[] Windows(byte[] embeddings, int count, ModelOptions options, int start, int length)
    {
        int window = options.Window, dim = options.Dim, half = window / 2;
        var result = new byte[length * window * dim];
        for (int i = 0; i < length; i++)
        {
            for (int o = -half; o <= half; o++)
            {
                int p = start + i + o;
                Span<byte> slot = result.AsSpan(((i * window) + o + half) * dim, dim);
                if (p >= 0 && p < count)
                {
                    embeddings.AsSpan(p * dim, dim).CopyTo(slot);
                }
                else
                {
                    slot.Fill(PaddingEmbedding);
                }
            }
        }

        return result;
    }

    /// <summary>Up to <paramref name="count"/> epochs spread evenly over every night of <paramref name="data"/>.</summary>
    public static EpochRef[] Spread(EpochDataset data, int count)
    {
        var all = new List<EpochRef>();
        for (int n = 0; n < data.Nights.Count; n++)
        {
            for (int p = 0; p < data.Nights[n].Count; p++)
            {
                all.Add(new EpochRef(n, p));
            }
        }

        if (all.Count <= count)
        {
            return [.. all];
        }

        double step = all.Count / (double)count;
        return [.. Enumerable.Range(0, count).Select(i => all[(int)(i * step)])];
    }
}
