namespace SleepScoring.Edf;

/// <summary>
/// Parses the per-signal header fields (stored field by field: all labels, then all transducers, …)
/// and checks them: samples per record, digital and physical ranges, duplicate labels.
/// </summary>
internal sealed class SignalHeaderParser(HeaderFieldReader fields, int count, EdfFileType type)
{
    private const int LabelWidth = EdfLayout.LabelWidth;
    private const int NumberWidth = EdfLayout.NumberWidth;

    private readonly long _digitalLow = type.IsBdf() ? -8_388_608 : short.MinValue;
    private readonly long _digitalHigh = type.IsBdf() ? 8_388_607 : short.MaxValue;

    /// <summary>What the signal headers say, before the record count is known.</summary>
    internal sealed record Layout(SignalFields[] Fields, long RecordSize, bool HasOrdinarySignal);

    internal sealed record SignalFields(
        string Label, string Transducer, string Dimension, double PhysicalMinimum, double PhysicalMaximum,
        int DigitalMinimum, int DigitalMaximum, string Prefiltering, int SamplesPerRecord, string Reserved, bool IsAnnotation, double SamplingRate);

    public Layout Parse(double recordDuration)
    {
        SignalFields[] parsed = new SignalFields[count];
        long recordSize = 0;
        bool ordinary = false;
        for (int i = 0; i < count; i++)
        {
            parsed[i] = ParseSignal(i, recordDuration);
            recordSize += (long)parsed[i].SamplesPerRecord * type.BytesPerSample();
            ordinary |= !parsed[i].IsAnnotation;
        }

        WarnDuplicateLabels(parsed);
        return new Layout(parsed, recordSize, ordinary);
    }

    public List<EdfSignal> Build(Layout layout, long recordCount)
    {
        List<EdfSignal> signals = new(count);
        long offsetInRecord = 0;
        for (int i = 0; i < count; i++)
        {
            SignalFields f = layout.Fields[i];
            signals.Add(new EdfSignal
            {
                Index = i,
                Label = f.Label,
                TransducerType = f.Transducer,
                PhysicalDimension = f.Dimension,
                PhysicalMinimum = f.PhysicalMinimum,
                PhysicalMaximum = f.PhysicalMaximum,
                DigitalMinimum = f.DigitalMinimum,
                DigitalMaximum = f.DigitalMaximum,
                Prefiltering = f.Prefiltering,
                Reserved = f.Reserved,
                SamplesPerRecord = f.SamplesPerRecord,
                SamplingRate = f.SamplingRate,
                IsAnnotation = f.IsAnnotation,
                SampleCount = recordCount * f.SamplesPerRecord,
                OffsetInRecord = offsetInRecord,
            });
            offsetInRecord += (long)f.SamplesPerRecord * type.BytesPerSample();
        }

        return signals;
    }

    /// <summary>Byte position (within the signal header block) of field <paramref name="fieldStart"/> for signal <paramref name="i"/>.</summary>
    private int At(int fieldStart, int width, int i) => (fieldStart * count) + (i * width);

    private SignalFields ParseSignal(int i, double recordDuration)
    {
        string label = fields.Text("label", At(EdfLayout.LabelStart, LabelWidth, i), LabelWidth);
        string transducer = fields.Text("transducer type", At(EdfLayout.TransducerStart, EdfLayout.TransducerWidth, i), EdfLayout.TransducerWidth);
        string dimension = fields.Text("physical dimension", At(EdfLayout.DimensionStart, EdfLayout.DimensionWidth, i), EdfLayout.DimensionWidth);
        double pmin = fields.Number("physical minimum", At(EdfLayout.PhysicalMinimumStart, NumberWidth, i), NumberWidth);
        double pmax = fields.Number("physical maximum", At(EdfLayout.PhysicalMaximumStart, NumberWidth, i), NumberWidth);
        long dmin = fields.Integer("digital minimum", At(EdfLayout.DigitalMinimumStart, NumberWidth, i), NumberWidth);
        long dmax = fields.Integer("digital maximum", At(EdfLayout.DigitalMaximumStart, NumberWidth, i), NumberWidth);
        string prefilter = fields.Text("prefiltering", At(EdfLayout.PrefilteringStart, EdfLayout.PrefilteringWidth, i), EdfLayout.PrefilteringWidth);
        long samples = fields.Integer("nr of samples in each data record", At(EdfLayout.SamplesPerRecordStart, NumberWidth, i), NumberWidth);
        string reserved = fields.Text("signal reserved", At(EdfLayout.SignalReservedStart, EdfLayout.SignalReservedWidth, i), EdfLayout.SignalReservedWidth);
        bool annotation = label is "EDF Annotations" or "BDF Annotations";

        if (samples < 1)
        {
            throw fields.Invalid("nr of samples in each data record", At(EdfLayout.SamplesPerRecordStart, NumberWidth, i), NumberWidth, $"of signal {i} is not positive");
        }

        if (!annotation)
        {
            CheckRanges(i, pmin, pmax, dmin, dmax);
        }

        double rate = recordDuration > 0 ? samples / recordDuration : 0;
        if (!double.IsFinite(rate))
        {
            throw fields.Invalid("nr of samples in each data record", At(EdfLayout.SamplesPerRecordStart, NumberWidth, i), NumberWidth, $"of signal {i} in a {recordDuration}-s data record is not a finite sampling rate");
        }

        return new SignalFields(
            label, transducer, dimension, pmin, pmax, (int)Math.Clamp(dmin, int.MinValue, int.MaxValue), (int)Math.Clamp(dmax, int.MinValue, int.MaxValue),
            prefilter, (int)samples, reserved, annotation, rate);
    }

    private void CheckRanges(int i, double pmin, double pmax, long dmin, long dmax)
    {
        int dminAt = At(EdfLayout.DigitalMinimumStart, NumberWidth, i);
        if (dmin < int.MinValue || dmin > int.MaxValue)
        {
            throw fields.Invalid("digital minimum", dminAt, NumberWidth, $"of signal {i} does not fit a 32-bit integer");
        }

        if (dmax < int.MinValue || dmax > int.MaxValue)
        {
            throw fields.Invalid("digital maximum", At(EdfLayout.DigitalMaximumStart, NumberWidth, i), NumberWidth, $"of signal {i} does not fit a 32-bit integer");
        }

        if (dmin >= dmax)
        {
            throw fields.Invalid("digital minimum", dminAt, NumberWidth, $"of signal {i} is not below its digital maximum {dmax}, so no physical value can be computed");
        }

        // Samples are read as 32-bit floats: a range they cannot hold would read as infinities.
        foreach ((string name, double value, int at) in new[] { ("physical minimum", pmin, At(EdfLayout.PhysicalMinimumStart, NumberWidth, i)), ("physical maximum", pmax, At(EdfLayout.PhysicalMaximumStart, NumberWidth, i)) })
        {
            if (Math.Abs(value) > float.MaxValue)
            {
                throw fields.Invalid(name, at, NumberWidth, $"of signal {i} is beyond what a 32-bit float holds (±{float.MaxValue:G3})");
            }
        }

        double gain = (pmax - pmin) / ((double)dmax - dmin);
        if (!float.IsFinite((float)gain) || !float.IsFinite((float)(pmin - (gain * dmin))))
        {
            throw fields.Invalid("physical maximum", At(EdfLayout.PhysicalMaximumStart, NumberWidth, i), NumberWidth, $"of signal {i}: the physical range {pmin}..{pmax} over {dmax - dmin} digital steps does not give a finite 32-bit scale");
        }

        if (dmin < _digitalLow || dmax > _digitalHigh)
        {
            fields.Warn(EdfWarningCodes.DigitalRangeOutOfBounds, "digital minimum", dminAt, $"signal {i}: digital range {dmin}..{dmax} exceeds the {(type.IsBdf() ? 24 : 16)}-bit sample range {_digitalLow}..{_digitalHigh}");
        }

        if (pmin == pmax)
        {
            fields.Warn(EdfWarningCodes.PhysicalRangeEmpty, "physical minimum", At(EdfLayout.PhysicalMinimumStart, NumberWidth, i), $"signal {i}: physical minimum equals physical maximum ({pmin}); every sample reads as that value");
        }
    }

    private void WarnDuplicateLabels(SignalFields[] parsed)
    {
        HashSet<string> seen = new(StringComparer.Ordinal);
        for (int i = 0; i < parsed.Length; i++)
        {
            if (!parsed[i].IsAnnotation && !seen.Add(parsed[i].Label))
            {
                fields.Warn(EdfWarningCodes.DuplicateLabel, "label", At(EdfLayout.LabelStart, LabelWidth, i), $"signal {i}: label \"{parsed[i].Label}\" is used by an earlier signal");
            }
        }
    }
}
