using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Cli.Bench;

/// <summary>
/// <c>sleepscore bench render [--seconds s]</c>: images per second on one core for every model-image
/// preset and drawing variant, and for the clinician image, on seeded synthetic EEG. Every variant
/// runs in the same process, one after the other, so their ratios are comparable even on a busy
/// machine; absolute figures depend on the machine.
/// </summary>
internal sealed class RenderBenchmark
{
    private const int Derivations = 2;
    private const int SamplesPerEpoch = 3000;
    private const int Seed = 20261124;

    private readonly TextWriter output;
    private readonly TimeSpan budget;

    public RenderBenchmark(TextWriter output, TimeSpan budgetPerVariant)
    {
        this.output = output;
        budget = budgetPerVariant;
    }

    /// <summary>Runs the verb: parses <c>--seconds</c> (per variant, default 2) and prints a Markdown table.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        double seconds = 2.0;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Count
                && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds is > 0 and <= 60)
            {
                i++;
                continue;
            }

            error.WriteLine($"bench render: unexpected argument '{args[i]}' (usage: bench render [--seconds 0<s≤60])");
            return 2;
        }

        new RenderBenchmark(output, TimeSpan.FromSeconds(seconds)).Execute();
        return 0;
    }

    private void Execute()
    {
        PinToOneCore();
        float[][] epochs = SyntheticEeg.CreateEpochs(64, Derivations, SamplesPerEpoch, 100.0, Seed);
        output.WriteLine($"# bench render: {Environment.ProcessorCount} logical cores, pinned to one; {RuntimeInformation.OSArchitecture}; .NET {Environment.Version}; {budget.TotalSeconds:0.#} s per variant");
        output.WriteLine();
        output.WriteLine("| model image | size (px) | variant | images/s | µs/image | vs Skia envelope |");
        output.WriteLine("| --- | --- | --- | ---: | ---: | ---: |");
        foreach (EpochImageLayout layout in EpochImageLayout.Presets)
        {
            EpochGeometry geometry = layout.CreateGeometry(Derivations, SamplesPerEpoch);
            double baseline = 0;
            foreach ((string name, Func<IEpochImageRenderer> create) in Variants(geometry))
            {
                IEpochImageRenderer renderer = create();
                byte[] image = new byte[renderer.ImageByteCount];
                double rate = Throughput.ItemsPerSecond(i => renderer.Render(epochs[i % epochs.Length], image), budget);
                (renderer as IDisposable)?.Dispose();
                baseline = baseline == 0 ? rate : baseline;
                output.WriteLine($"| {layout.Name} | {geometry.PlotHeight}×{geometry.PlotWidth} | {name} | {rate:N0} | {1e6 / rate:N1} | {rate / baseline:0.00}× |");
            }
        }
    }

    private static IEnumerable<(string Name, Func<IEpochImageRenderer> Create)> Variants(EpochGeometry geometry)
    {
        yield return ("Skia envelope", () => new EpochImageRenderer(geometry, TraceDrawingMode.Envelope));
        yield return ("Skia polyline", () => new EpochImageRenderer(geometry, TraceDrawingMode.Polyline));
        yield return ("Skia polyline AA", () => new EpochImageRenderer(geometry, TraceDrawingMode.Polyline, antialias: true));
        yield return ("direct envelope", () => new EnvelopeRasterizer(geometry));
    }

    private static void PinToOneCore()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }
    }
}
