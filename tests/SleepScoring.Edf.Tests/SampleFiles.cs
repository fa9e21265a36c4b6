namespace SleepScoring.Edf.Tests;

/// <summary>The real files under ../shared/data/edf-samples (see /work/shared/data/README.md).</summary>
internal static class SampleFiles
{
    public const string SleepEdfCrop = "edf-samples/sleep-edf/SC4001E0-PSG_first5min_edfio.edf";
    public const string Hypnogram = "edf-samples/sleep-edf/SC4001EC-Hypnogram.edf";
    public const string Discontinuous = "edf-samples/mne-testing-data/MB0400FU.EDF";
    public const string Generator = "edf-samples/pyedflib/test_generator.edf";
    public const string SubsecondMne = "edf-samples/mne-testing-data/subsecond_starttime.edf";
    public const string Utf8Mne = "edf-samples/mne-testing-data/test_utf8_annotations.edf";
    public const string UnevenSampling = "edf-samples/edfjl/test_uneven_samp.edf";

    public static readonly string[] All =
    [
        "edf-samples/edfio/mne_test.edf",
        "edf-samples/edfio/short_psg.bdf",
        "edf-samples/edfjl/bdf_test.bdf",
        "edf-samples/edfjl/evt.bdf",
        UnevenSampling,
        Discontinuous,
        "edf-samples/mne-testing-data/chtypes_edf.edf",
        "edf-samples/mne-testing-data/multiple_annotation_chans.bdf",
        SubsecondMne,
        "edf-samples/mne-testing-data/test_bdf_stim_channel.bdf",
        "edf-samples/mne-testing-data/test_edf_overlapping_annotations.edf",
        "edf-samples/mne-testing-data/test_reduced.edf",
        Utf8Mne,
        "edf-samples/pyedflib/test_generator.bdf",
        Generator,
        "edf-samples/pyedflib/test_generator_datarec_generator_0_5.bdf",
        "edf-samples/pyedflib/test_generator_datarec_generator_2.bdf",
        "edf-samples/pyedflib/test_legacy.edf",
        "edf-samples/pyedflib/test_subsecond.edf",
        "edf-samples/pyedflib/test_utf8.edf",
        SleepEdfCrop,
        Hypnogram,
        "edf-samples/wfdb/test_generator_2.edf",
    ];

    public static TheoryData<string> AllData => [.. All];
}
