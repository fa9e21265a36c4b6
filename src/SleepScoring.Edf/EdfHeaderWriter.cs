using System.Globalization;

namespace SleepScoring.Edf;

/// <summary>Builds the header bytes of an <see cref="EdfWriter"/> file and the scaling that matches them.</summary>
internal sealed class EdfHeaderWriter
{
    private readonly (double Gain, double Offset)[] _scales;

    public EdfHeaderWriter(EdfWriter writer, IReadOnlyList<EdfSignalSpec> specs, long records)
    {
        int n = specs.Count;
        Bytes = new byte[256 * (n + 1)];
        bool plus = writer.FileType == EdfFileType.EdfPlusC;
        DateTime start = writer.StartTime;
        if (start.Year is < 1985 or > 2084)
        {
            throw new ArgumentOutOfRangeException(nameof(writer), start, "EDF start dates must lie in 1985–2084.");
        }

        string recording = plus ? (writer.Recording with { StartDate = DateOnly.FromDateTime(start) }).Format() : writer.PlainRecordingIdentification;
        string duration = HeaderFieldWriter.Number(writer.RecordDuration, 8, "duration of a data record");
        Span<byte> h = Bytes;
        HeaderFieldWriter.Text(h[..8], "0", "version");
        HeaderFieldWriter.Text(h.Slice(8, 80), plus ? writer.Patient.Format() : writer.PlainPatientIdentification, "local patient identification");
        HeaderFieldWriter.Text(h.Slice(88, 80), recording, "local recording identification");
        HeaderFieldWriter.Text(h.Slice(168, 8), start.ToString("dd.MM.yy", CultureInfo.InvariantCulture), "startdate");
        HeaderFieldWriter.Text(h.Slice(176, 8), start.ToString("HH.mm.ss", CultureInfo.InvariantCulture), "starttime");
        HeaderFieldWriter.Text(h.Slice(184, 8), Bytes.Length.ToString(CultureInfo.InvariantCulture), "number of bytes in header record");
        HeaderFieldWriter.Text(h.Slice(192, 44), plus ? "EDF+C" : string.Empty, "reserved");
        HeaderFieldWriter.Text(h.Slice(236, 8), records.ToString(CultureInfo.InvariantCulture), "number of data records");
        HeaderFieldWriter.Text(h.Slice(244, 8), duration, "duration of a data record");
        HeaderFieldWriter.Text(h.Slice(252, 4), n.ToString(CultureInfo.InvariantCulture), "number of signals");

        _scales = new (double, double)[n];
        long recordBytes = 0;
        Span<byte> s = h[256..];
        for (int i = 0; i < n; i++)
        {
            EdfSignalSpec spec = specs[i];
            string pmin = HeaderFieldWriter.Number(spec.PhysicalMinimum, 8, "physical minimum");
            string pmax = HeaderFieldWriter.Number(spec.PhysicalMaximum, 8, "physical maximum");
            Field(s, 0, 16, i, n, spec.Label, "label");
            Field(s, 16, 80, i, n, spec.TransducerType, "transducer type");
            Field(s, 96, 8, i, n, spec.PhysicalDimension, "physical dimension");
            Field(s, 104, 8, i, n, pmin, "physical minimum");
            Field(s, 112, 8, i, n, pmax, "physical maximum");
            Field(s, 120, 8, i, n, spec.DigitalMinimum.ToString(CultureInfo.InvariantCulture), "digital minimum");
            Field(s, 128, 8, i, n, spec.DigitalMaximum.ToString(CultureInfo.InvariantCulture), "digital maximum");
            Field(s, 136, 80, i, n, spec.Prefiltering, "prefiltering");
            Field(s, 216, 8, i, n, spec.SamplesPerRecord.ToString(CultureInfo.InvariantCulture), "nr of samples");
            Field(s, 224, 32, i, n, string.Empty, "reserved");

            // Scale with the values as written, so a reader's physical values match ours.
            double gain = (HeaderFieldWriter.Parse(pmax) - HeaderFieldWriter.Parse(pmin)) / ((double)spec.DigitalMaximum - spec.DigitalMinimum);
            _scales[i] = (gain, HeaderFieldWriter.Parse(pmin) - (gain * spec.DigitalMinimum));
            recordBytes += spec.SamplesPerRecord * 2L;
        }

        RecordBytes = checked((int)recordBytes);
    }

    public byte[] Bytes { get; }

    public int RecordBytes { get; }

    public (double Gain, double Offset) Scale(int signal) => _scales[signal];

    private static void Field(Span<byte> signalHeader, int fieldStart, int width, int i, int n, string value, string name)
    {
        HeaderFieldWriter.Text(signalHeader.Slice((fieldStart * n) + (i * width), width), value, name);
    }
}
