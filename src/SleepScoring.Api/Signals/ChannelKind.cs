namespace SleepScoring.Api.Signals;

/// <summary>
/// What a channel measures, guessed from its label, transducer and unit, so the workstation can
/// give it a sensible default gain and colour (display only: the model's montage is resolved by
/// SleepScoring.Analysis, never from this).
/// </summary>
public static class ChannelKind
{
    public const string Eeg = "eeg", Eog = "eog", Emg = "emg", Ecg = "ecg", Respiration = "respiration", Oximetry = "oximetry", Other = "other";

    private static readonly (string Kind, string[] Words)[] Rules =
    [
        (Oximetry, ["spo2", "sao2", "sat", "pleth", "pulse"]),
        (Ecg, ["ecg", "ekg"]),
        (Eog, ["eog", "loc", "roc", "e1-", "e2-", "e1 ", "e2 "]),
        (Emg, ["emg", "chin", "submental", "leg", "tib"]),
        (Respiration, ["resp", "flow", "nasal", "thor", "abd", "effort", "cannula", "therm", "snore"]),
        (Eeg, ["eeg", "fpz", "pz-oz", "c3", "c4", "f3", "f4", "o1", "o2", "cz", "fz"]),
    ];

    public static string Of(string label, string transducer, string unit)
    {
        string text = $" {label} {transducer} ".ToLowerInvariant();
        foreach ((string kind, string[] words) in Rules)
        {
            if (words.Any(w => text.Contains(w, StringComparison.Ordinal)))
            {
                return kind;
            }
        }

        return unit is "uV" or "µV" or "mV" ? Eeg : Other;
    }
}
