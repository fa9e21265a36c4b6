using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Inference.Sensing;

/// <summary>What adaptive sensing searches, on how many epochs, and by which test.</summary>
public sealed record SensingOptions
{
    /// <summary>Gains tried for every filled slot together, beside 1 (the ×0.5–×2 range of referential against short bipolar montages).</summary>
    public IReadOnlyList<float> Gains { get; init; } = [0.5f, 0.71f, 1.41f, 2f];

    /// <summary>
    /// After the shared gain, try each slot's gain one step (×√2) up and down on its own. Off by
    /// default: on the tuning nights it moved gains by sampling noise more often than it helped.
    /// </summary>
    public bool PerSlotGains { get; init; }

    /// <summary>
    /// Extra filters tried, mildest first, on the montage at its amplitude estimate before the gains
    /// and assignments (each must beat the best so far by <see cref="FilterMargin"/>), against broadband
    /// muscle noise, which the conditioning's edge lets through: the noise floor subtracted from 15 Hz up
    /// (it keeps the EEG that stands above the floor; 15 Hz read the validation nights' muscle noise best,
    /// against 10 and 20 Hz, docs/montage.md), then low-pass edges at 20 and 15 Hz.
    /// </summary>
    public IReadOnlyList<SensingFilter> Filters { get; init; } = [SensingFilter.Parse("ns:15"), SensingFilter.Parse("lp:20"), SensingFilter.Parse("lp:15")];

    /// <summary>
    /// Without a <see cref="FastActivityLimit"/>, the filters (and the assignments that leave a recorded
    /// lead out) are searched only when the montage at its amplitude estimate scores above this
    /// objective on the sample (nats): a filter
    /// helps against broadband muscle noise, and on a night the model reads well it only takes detail
    /// away. On the validation nights of the four cross-validation folds (tuning nights) the montage
    /// scored 0.58–0.92 with both leads, 0.81–1.45 with one, and 1.76 under EMG-like noise (the
    /// shipped model's own validation nights: 0.69 / 0.71, and 1.60 / 1.70 with the noise); at the
    /// former 0.9 the filters were searched on clean and one-lead held-out test nights and won there
    /// (a one-lead night low-passed at 15 Hz read at 32 % instead of 75 %). A card's
    /// <c>filter_threshold</c> replaces it.
    /// </summary>
    public double FilterThreshold { get; init; } = 1.5;

    /// <summary>
    /// The filters (and the assignments that leave a recorded lead out) are searched when some EEG
    /// lead of the montage carries more fast activity than this
    /// (<see cref="FastActivity"/>: the median over the sample epochs of the RMS above
    /// <see cref="FastActivityEdge"/> over the RMS of the conditioned signal), whatever the objective;
    /// null: by the objective alone (above <see cref="FilterThreshold"/>), as before this measure. A
    /// filter helps only against broadband noise, which this measures without the model: the objective
    /// read some noisy nights within the training nights' range and some one-lead clean nights above it. A card's
    /// <c>fast_activity_limit</c> replaces it.
    /// </summary>
    public double? FastActivityLimit { get; init; } = DefaultFastActivityLimit;

    /// <summary>The default <see cref="FastActivityLimit"/>, tuned on the cross-validation folds' validation nights (docs/montage.md).</summary>
    public const double DefaultFastActivityLimit = 0.2;

    /// <summary>
    /// The low-pass edge above which <see cref="FastActivityLimit"/> measures (Hz), fixed whatever <see cref="Filters"/>
    /// lists (the limit was set at it); the mildest default filter. With no filters listed nothing is measured, and the
    /// sleep scan is not low-passed either.
    /// </summary>
    public const double FastActivityEdge = 20;

    /// <summary>Try other assignments of the recorded EEG derivations to the model's slots (<see cref="SlotAssignments"/>).</summary>
    public bool Assignments { get; init; } = true;

    /// <summary>
    /// Judge the montage's two EEG leads exchanged by their spectra first (<see cref="Sensing.MontageCheck"/>):
    /// not searched when the spectra clearly agree with the labels; searched with the margin turned round
    /// (the montage as labelled must win by it) when they clearly contradict them; else as any assignment.
    /// On the cross-validation's held-out nights the swap scored up to 0.11 nats better than the correctly
    /// labelled montage on 2 of 16 nights and cost 13–16 points on each, and a true swap on a validation
    /// night won by only 0.013. A card's <c>montage_check</c> replaces it.
    /// </summary>
    public bool CheckMontage { get; init; } = true;

    /// <summary>
    /// A study with one EEG derivation keeps it in the slot of its own scalp region instead of also
    /// trying it in the other slot. A model trained with derivation dropout learned to read one
    /// derivation there, and the objective liked the wrong slot: the dropout model's validation
    /// nights without their posterior derivation read 75.9 % as recorded, 68.6 % moved. Off for a
    /// model trained without dropout, which reads a lone parietal lead far better from the frontal
    /// slot (33.8 % → 72.3 %). Set from the card (<see cref="ModelSensing.Options"/>).
    /// </summary>
    public bool KeepLoneDerivation { get; init; }

    /// <summary>Blocks of consecutive epochs in the sample.</summary>
    public int Blocks { get; init; } = 8;

    /// <summary>Epochs per block (the inter-epoch model reads each block as a short night).</summary>
    public int BlockEpochs { get; init; } = 12;

    /// <summary>
    /// Another slot assignment (the leads swapped, one alone, a central lead in place of one) replaces
    /// the montage as labelled only when its objective is lower by more than this (nats). The labels
    /// are right far more often than the objective can tell: on the validation nights of the four
    /// cross-validation folds (the shipped recipe) the swap scored from 0.075 nats better to 0.145
    /// worse than the correctly labelled montage, and at the former 0.01 sensing swapped 3 of those 8
    /// nights and 3 of the 8 held-out test nights of folds 0–1 (13–15 points lost on each); a
    /// normalising model's objective told the two apart no better (±0.03). Swapped labels are then
    /// left to the model (docs/montage.md, site-shift benchmark).
    /// </summary>
    public double Margin { get; init; } = 0.1;

    /// <summary>
    /// A gain step replaces the best so far only when its objective is lower by more than this
    /// (nats). The entropy term favours larger gains on the shipped model (higher amplitude, more
    /// confident slow-wave sleep): on its unshifted validation nights a 0.18-nat gain at ×1.41 cost
    /// 10 points of accuracy, while a real amplitude shift (×0.5) moves the objective by ~0.8.
    /// </summary>
    public double GainMargin { get; init; } = 0.25;

    /// <summary>
    /// A filter replaces the best so far only when its objective is lower by more than this (nats):
    /// a low-pass lowers the entropy a little on any night (less fast activity to read), and must
    /// not take real fast activity from a clean one.
    /// </summary>
    public double FilterMargin { get; init; } = 0.25;

    /// <summary>
    /// The training amplitude of each EEG slot (the model card's <c>input_amplitude</c>), from which
    /// the search's starting gains are estimated; null: start at gain 1.
    /// </summary>
    public AmplitudeProfile? Amplitude { get; init; }

    /// <summary>Recordings longer than this (hours) without lights annotations are first scanned for their sleep (Sleep-EDF cassettes run ~22 h).</summary>
    public double ScanHours { get; init; } = 12;

    /// <summary>
    /// A study (its lights period, or the recording) with fewer scorable hours than this is not a
    /// night but an excerpt: only gain 1 is tried (assignments still are), by entropy alone, as the
    /// prior on a night's stage shares that guards the gain search does not hold for an excerpt, and
    /// without filters. Gain steps also need the span a sleep scan found to be this long, and a
    /// normalisation measured over that span (not over the recording) is skipped below it. The
    /// conditioner warns below the same 4 h.
    /// </summary>
    public double NightHours { get; init; } = 4;

    /// <summary>Whether <paramref name="scorableEpochs"/> epochs are fewer than <see cref="NightHours"/> of them.</summary>
    public bool ShorterThanANight(int scorableEpochs) => scorableEpochs * ConditionedEpoch.Length < NightHours * 3600;

    /// <summary>The test each candidate is scored by.</summary>
    public SensingObjective Objective { get; init; } = new(StagePrior.SleepPeriod, 1.0);
}
