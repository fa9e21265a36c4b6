using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.CommandLine;
using SleepScoring.Rendering.Clinician;
using SleepScoring.Rendering.Geometry;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// <c>sleepscore-lab bench render [--seconds s]</c>: images per second on one core for every model-image
/// preset and drawing variant, and for the clinician image, on seeded synthetic EEG. All variants
/// run in one process, interleaved over three rounds with the best round kept, so their ratios
/// stay comparable on a machine other processes share; absolute figures depend on the machine.
/// </summary>
internal sealed class BenchRenderVerb : IVerb
{
    private const int Derivations = 2;
    private const int Seed = 20261124;
    private const int Rounds = 3;

    private TextWriter output = TextWriter.Null;
    private TimeSpan budget;

    public string Name => "bench render";

    public string Arguments => "[--seconds s]";

    public string Summary => "benchmark model images/s per geometry preset and drawing mode, and clinician images/s (s per variant, default 3)";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        double seconds = OptionList.Parse(args, ["--seconds"], []).NumberOr("--seconds", 3.0, s => s is > 0 and <= 60, "a number of seconds in (0, 60]");
        this.output = output;
        budget = TimeSpan.FromSeconds(seconds) / Rounds;
        Execute();
        return VerbDispatcher.Success;
    }

    private void Execute()
    {
        // Pinned for the measurement only: the caller's process (e.g. a test host) gets its cores back.
        nint? previousAffinity = PinToOneCore();
        try
        {
            Measure(previousAffinity is null ? "single thread (affinity not settable here)" : "pinned to one core");
        }
        finally
        {
            if (previousAffinity is nint affinity && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
            {
                using Process process = Process.GetCurrentProcess();
                process.ProcessorAffinity = affinity;
            }
        }
    }

    private void Measure(string pinned)
    {
        float[][] epochs = SyntheticEeg.CreateEpochs(64, Derivations, ConditionedEpoch.Samples, 100.0, Seed);
        output.WriteLine($"bench render: {Environment.ProcessorCount} logical cores, {pinned}; {RuntimeInformation.OSArchitecture}; .NET {Environment.Version}; best of {Rounds} rounds of {budget.TotalSeconds:0.##} s {(ThreadCpuClock.IsThreadCpuTime ? "thread CPU time" : "wall time")} per variant{LoadNote()}");
        output.WriteLine();
        BenchModelImages(epochs);
        output.WriteLine();
        BenchViews(epochs);
        output.WriteLine();
        BenchClinician(epochs);
    }

    private void BenchModelImages(float[][] epochs)
    {
        var rows = new List<(EpochImageLayout Layout, EpochGeometry Geometry, string Variant, IEpochImageRenderer Renderer, byte[] Image)>();
        foreach (EpochImageLayout layout in EpochImageLayout.Presets)
        {
            EpochGeometry geometry = layout.CreateGeometry(Derivations, ConditionedEpoch.Samples);
            foreach ((string variant, IEpochImageRenderer renderer) in Variants(geometry))
            {
                rows.Add((layout, geometry, variant, renderer, new byte[renderer.ImageByteCount]));
            }
        }

        Throughput[] rates = BestRates([.. rows.Select(row => (Action<int>)(i => row.Renderer.Render(epochs[i % epochs.Length], row.Image)))], warmUp: 50);
        output.WriteLine("| model image | rows×columns | variant | images per CPU-s | µs CPU/image | vs Skia envelope | images per wall-s |");
        output.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        double baseline = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            (EpochImageLayout layout, EpochGeometry geometry, string variant, IEpochImageRenderer renderer, _) = rows[r];
            double rate = rates[r].PerCpuSecond;
            baseline = variant == "Skia envelope" ? rate : baseline;
            output.WriteLine($"| {layout.Name} | {geometry.PlotHeight}×{geometry.PlotWidth} | {variant} | {rate:N0} | {1e6 / rate:N1} | {rate / baseline:0.00}× | {rates[r].PerWallSecond:N0} |");
            renderer.Dispose();
        }
    }

    /// <summary>
    /// The trained model's input: each derivation's trace and band-passed views cut from the night
    /// (<see cref="EpochViews"/>: filtering with its context) and drawn by the envelope rasteriser.
    /// </summary>
    private void BenchViews(float[][] epochs)
    {
        float[][] night = SyntheticEeg.AsNight(epochs, Derivations, ConditionedEpoch.Samples);
        IReadOnlyList<TraceView> views = new Training.Data.NightImageOptions().Views;
        var cutter = new EpochViews(views, EpochImageLayout.Small.MicrovoltsPerHalfStrip);
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, Derivations * views.Count, TraceDrawingMode.Envelope);
        float[] samples = new float[Derivations * views.Count * ConditionedEpoch.Samples];
        byte[] image = new byte[renderer.ImageByteCount];
        (string Name, Action<int> Run)[] steps =
        [
            ("cut and filter the views", i => cutter.Gather(night, i % epochs.Length, samples)),
            ("draw the envelopes", i => renderer.Render(samples, image)),
            ("cut, filter and draw", i =>
            {
                cutter.Gather(night, i % epochs.Length, samples);
                renderer.Render(samples, image);
            }),
        ];
        Throughput[] rates = BestRates([.. steps.Select(s => s.Run)], warmUp: 20);
        output.WriteLine($"| model input, views {string.Join(", ", views.Select(v => v.Name))} ({renderer.Geometry.PlotHeight}×{renderer.Geometry.PlotWidth}) | images per CPU-s | µs CPU/image | images per wall-s |");
        output.WriteLine("| --- | ---: | ---: | ---: |");
        for (int s = 0; s < steps.Length; s++)
        {
            output.WriteLine($"| {steps[s].Name} | {rates[s].PerCpuSecond:N0} | {1e6 / rates[s].PerCpuSecond:N1} | {rates[s].PerWallSecond:N0} |");
        }
    }

    private void BenchClinician(float[][] epochs)
    {
        using var renderer = new ClinicianImageRenderer(["Fpz-Cz", "Pz-Oz"]);
        var relevance = new float[Derivations, 15];
        for (int segment = 0; segment < 15; segment++)
        {
            relevance[0, segment] = segment / 14f;
            relevance[1, segment] = segment % 3 / 2f;
        }

        var caption = new EpochCaption(0, new DateTime(2026, 1, 1, 23, 0, 0), SleepStage.N2);
        using var sink = new MemoryStream();
        (string Name, Action<int> RenderOne)[] variants =
        [
            ("draw only", i => renderer.RenderPixels(epochs[i % epochs.Length], caption with { EpochIndex = i })),
            ("draw + saliency overlay", i => renderer.RenderPixels(epochs[i % epochs.Length], caption with { EpochIndex = i }, relevance)),
            ("draw + overlay + PNG encode", i =>
            {
                sink.SetLength(0);
                renderer.RenderPng(epochs[i % epochs.Length], caption with { EpochIndex = i }, relevance, sink);
            }),
        ];
        Throughput[] rates = BestRates([.. variants.Select(v => v.RenderOne)], warmUp: 5);
        output.WriteLine($"| clinician image {renderer.Width}×{renderer.Height} | images per CPU-s | ms CPU/image | images per wall-s |");
        output.WriteLine("| --- | ---: | ---: | ---: |");
        for (int v = 0; v < variants.Length; v++)
        {
            output.WriteLine($"| {variants[v].Name} | {rates[v].PerCpuSecond:N1} | {1e3 / rates[v].PerCpuSecond:N2} | {rates[v].PerWallSecond:N1} |");
        }

        output.WriteLine();
        output.WriteLine($"PNG size of a clinician image: {sink.Length / 1024.0:N0} KiB");
    }

    /// <summary>Each action's best throughput over the rounds; the rounds interleave the actions.</summary>
    private Throughput[] BestRates(IReadOnlyList<Action<int>> actions, int warmUp)
    {
        var best = new Throughput[actions.Count];
        for (int round = 0; round < Rounds; round++)
        {
            for (int a = 0; a < actions.Count; a++)
            {
                best[a] = Throughput.Best(best[a], Throughput.Measure(actions[a], budget, round == 0 ? warmUp : 0));
            }
        }

        return best;
    }

    private static IEnumerable<(string Name, IEpochImageRenderer Renderer)> Variants(EpochGeometry geometry)
    {
        yield return ("Skia envelope", new EpochImageRenderer(geometry, TraceDrawingMode.Envelope));
        yield return ("Skia polyline", new EpochImageRenderer(geometry, TraceDrawingMode.Polyline));
        yield return ("Skia polyline AA", new EpochImageRenderer(geometry, TraceDrawingMode.Polyline, antialias: true));
        yield return ("direct envelope", new EnvelopeRasterizer(geometry));
        yield return ("direct polyline AA", new AntialiasedPolylineRasterizer(geometry));
    }

    /// <summary>The 1-minute load average when the OS reports it: other processes slow every variant alike.</summary>
    private static string LoadNote()
    {
        const string LoadAverage = "/proc/loadavg";
        return File.Exists(LoadAverage) ? $"; load average {File.ReadAllText(LoadAverage).Split(' ')[0]} at start" : string.Empty;
    }

    /// <summary>
    /// Pins the process to the lowest core it may run on (a container may exclude core 0); returns
    /// the previous affinity, or null where affinity cannot be set.
    /// </summary>
    private static nint? PinToOneCore()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            using Process process = Process.GetCurrentProcess();
            nint previous = process.ProcessorAffinity;
            process.ProcessorAffinity = previous & -previous;
            return previous;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
