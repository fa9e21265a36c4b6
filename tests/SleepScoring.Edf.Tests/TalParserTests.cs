using System.Text;

namespace SleepScoring.Edf.Tests;

public class TalParserTests
{
    [Fact]
    public void MnesTalVector_GivesMnesAnnotations()
    {
        // The byte string and expectations of MNE's test_read_annotation_edf (mne/io/edf/tests/test_edf.py):
        // onsets [180, 180, 180, 180, 3.14, 1800.2], durations [0, 0, 0, 0, 4.2, 25.5] (MNE writes 0 for "none"),
        // texts Lights off, Close door, Lights off, Close door, nothing, Apnea; the empty "+123" TAL gives nothing.
        byte[] bytes = Encoding.Latin1.GetBytes(
            "+180\u0014Lights off\u0014Close door\u0014\0\0\0\0\0"
            + "+180\u0014Lights off\u0014\0\0\0\0\0\0\0\0"
            + "+180\u0014Close door\u0014\0\0\0\0\0\0\0\0"
            + "+3.14\u001504.20\u0014nothing\u0014\0\0\0\0"
            + "+1800.2\u001525.5\u0014Apnea\u0014\0\0\0\0\0\0\0"
            + "+123\u0014\u0014\0\0\0\0\0\0\0");

        List<Tal> tals = new TalParser("EDF Annotations", 0, []).ParseAll(bytes, 1000);

        var flat = tals.SelectMany(t => t.Texts.Where(x => x.Length > 0).Select(x => (t.Onset, t.Duration ?? 0, x))).ToList();
        Assert.Equal(
            [(180.0, 0.0, "Lights off"), (180, 0, "Close door"), (180, 0, "Lights off"), (180, 0, "Close door"), (3.14, 4.2, "nothing"), (1800.2, 25.5, "Apnea")],
            flat);
        Assert.Equal(123, tals[^1].Onset);
        Assert.Equal([string.Empty], tals[^1].Texts);
    }

    [Fact]
    public void UnterminatedTal_IsRejectedAtItsStart()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("\0\0+5\u0014never closed");

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => new TalParser("EDF Annotations", 7, []).ParseAll(bytes, 500));

        Assert.Equal(505, e.Offset); // two padding bytes, "+5", 0x14: the text starts 5 bytes in
        Assert.Contains("data record 7", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5\u0014x\u0014\0")] // no sign
    [InlineData("+5.1.2\u0014x\u0014\0")]
    [InlineData("+5\u0015-3\u0014x\u0014\0")] // signed duration
    public void MalformedTimeStamps_AreRejected(string tal)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(tal);

        Assert.Throws<EdfFormatException>(() => new TalParser("EDF Annotations", 0, []).ParseAll(bytes, 0));
    }
}
