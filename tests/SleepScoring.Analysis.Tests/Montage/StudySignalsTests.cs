using SleepScoring.Analysis.Montage;
using SleepScoring.Edf;
using SleepScoring.Tests.Common;

namespace SleepScoring.Analysis.Tests.Montage;

public class StudySignalsTests
{
    [SkippableFact]
    public void FromEdf_RealSleepEdfCrop_ResolvesFpzCzPzOzAndEog()
    {
        string path = SharedData.Require("edf-samples/sleep-edf/SC4001E0-PSG_first5min_edfio.edf");
        using EdfReader reader = EdfReader.Open(path);

        StudyMontage montage = MontageResolver.Resolve(StudySignals.FromEdf(reader.Signals));

        // Header (head -c 2048 | fold -w 16): labels EEG Fpz-Cz, EEG Pz-Oz, EOG horizontal at 3000 samples
        // per 30-s record (100 Hz); Resp, EMG submental, Temp, Event marker at 30 per record (1 Hz); units uV.
        Assert.Equal(("EEG Fpz-Cz", 100.0, 1.0), (montage.Frontal!.SignalLabel, montage.Frontal!.SamplingRate, montage.Frontal!.SignalToMicrovolts));
        Assert.Equal("EEG Pz-Oz", montage.Posterior!.SignalLabel);
        Assert.Equal("EOG horizontal", montage.For(DerivationRole.Eog)!.SignalLabel);
        Assert.Null(montage.For(DerivationRole.Emg));
        Assert.Contains(montage.Warnings, w => w.StartsWith("'EMG submental' would serve EMG submental but is sampled at 1 Hz", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void FromEdf_AnnotationOnlyFile_IsRejectedWithNoLabels()
    {
        string path = SharedData.Require("sleep-edf-features/hypnograms/SC4001EC-Hypnogram.edf");
        using EdfReader reader = EdfReader.Open(path);

        IReadOnlyList<StudySignal> signals = StudySignals.FromEdf(reader.Signals);
        var error = Assert.Throws<MontageException>(() => MontageResolver.Resolve(signals));

        Assert.Empty(signals);
        Assert.Contains("Signals found: none", error.Message, StringComparison.Ordinal);
    }
}
