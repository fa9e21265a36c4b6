using System.Text.Encodings.Web;
using System.Text.Json;

using SleepScoring.CommandLine;
using SleepScoring.Edf;

namespace SleepScoring.Cli.Verbs;

/// <summary><c>sleepscore inspect &lt;file&gt; [--json] [--show-patient]</c>: header, signals, annotations, warnings.</summary>
internal sealed class InspectVerb : IVerb
{
    // Relaxed escaping: the JSON goes to a terminal or a file, not into HTML, so "EDF+C" and UTF-8 texts stay readable.
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Name => "inspect";

    public string Arguments => "<file> [--json] [--show-patient] [--annotations N]";

    public string Summary => "show an EDF/EDF+/BDF file's header, signals, annotations and warnings";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        InspectOptions options = InspectOptions.Parse(args);
        using EdfReader reader = EdfReader.Open(options.Path);
        InspectReport report = InspectReport.From(reader, Path.GetFileName(options.Path), options.ShowPatient, options.AnnotationLimit);
        if (options.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, s_json));
        }
        else
        {
            InspectText.Write(report, output);
        }

        return VerbDispatcher.Success;
    }

    private sealed record InspectOptions(string Path, bool Json, bool ShowPatient, int AnnotationLimit)
    {
        public static InspectOptions Parse(IReadOnlyList<string> args)
        {
            OptionList options = OptionList.Parse(args, ["--annotations"], ["--json", "--show-patient"], maxPositionals: 1);
            return new InspectOptions(options.Positional(0, "the file"), options.Has("--json"), options.Has("--show-patient"), options.NonNegativeOr("--annotations", 10));
        }
    }
}
