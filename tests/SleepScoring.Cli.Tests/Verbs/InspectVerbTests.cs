using System.Text;
using System.Text.Json;

using SleepScoring.Edf;
using SleepScoring.Tests.Common;

namespace SleepScoring.Cli.Tests.Verbs;

public sealed class InspectVerbTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inspect-tests-").FullName;

    [SkippableFact]
    public void SleepEdfCrop_ShowsItsSevenSignals()
    {
        // ../shared/data/README.md: the Sleep-EDF crop has 7 signals, EEG/EOG at 100 Hz.
        string path = SharedData.Require("edf-samples/sleep-edf/SC4001E0-PSG_first5min_edfio.edf");

        (int code, string output, string error) = Cli.Run("inspect", path);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("signals       7", output, StringComparison.Ordinal);
        Assert.Contains("EEG Fpz-Cz", output, StringComparison.Ordinal);
        Assert.Contains("warnings      0", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Json_HasTheSignalsAndAnnotations()
    {
        // The Sleep-EDF hypnogram: one annotation signal, 154 annotations (raw TALs, see the Edf tests).
        string path = SharedData.Require("edf-samples/sleep-edf/SC4001EC-Hypnogram.edf");

        (int code, string output, _) = Cli.Run("inspect", path, "--json");

        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("EDF+C", json.RootElement.GetProperty("fileType").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("signals").GetArrayLength());
        Assert.Equal(154, json.RootElement.GetProperty("annotationCount").GetInt32());
        Assert.Equal("Sleep stage W", json.RootElement.GetProperty("firstAnnotations")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void PatientIdentification_IsHiddenUnlessAsked()
    {
        string path = Write(new EdfWriter { Patient = new EdfPatient { Name = "Jane Doe", BirthDate = new DateOnly(1970, 3, 1) } }, "patient.edf");

        (_, string hidden, _) = Cli.Run("inspect", path);
        (_, string hiddenJson, _) = Cli.Run("inspect", path, "--json");
        (_, string shown, _) = Cli.Run("inspect", path, "--show-patient");

        Assert.DoesNotContain("Jane", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("1970", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", hiddenJson, StringComparison.Ordinal);
        Assert.Contains("Jane_Doe", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFile_ExitsWith2AndOneLineNamingFieldAndOffset()
    {
        string good = Write(new EdfWriter(), "good.edf");
        byte[] bytes = File.ReadAllBytes(good);
        Encoding.ASCII.GetBytes("ab  ").CopyTo(bytes, 252); // 'number of signals' is bytes 252..255
        string bad = Path.Combine(_folder, "bad.edf");
        File.WriteAllBytes(bad, bytes);

        (int code, string output, string error) = Cli.Run("inspect", bad);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("sleepscore inspect: header field 'number of signals' at offset 252: \"ab  \" is not an integer", error.TrimEnd());
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MissingFile_ExitsWith2()
    {
        (int code, _, string error) = Cli.Run("inspect", Path.Combine(_folder, "absent.edf"));

        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void TolerantFile_ListsItsWarnings()
    {
        string good = Write(new EdfWriter(), "tolerated.edf");
        File.AppendAllText(good, "x"); // one stray trailing byte

        (int code, string output, _) = Cli.Run("inspect", good);

        Assert.Equal(0, code);
        Assert.Contains($"warnings      1", output, StringComparison.Ordinal);
        Assert.Contains(EdfWarningCodes.TrailingBytes, output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(EdfWriter writer, string name)
    {
        writer.AddSignal(new EdfSignalSpec("EEG Fpz-Cz", -100, 100, 100) { PhysicalDimension = "uV" }, new float[300]);
        writer.AddAnnotation(1, 30, "Sleep stage W");
        string path = Path.Combine(_folder, name);
        writer.Write(path);
        return path;
    }
}
