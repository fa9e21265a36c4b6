namespace SleepScoring.Training.Data;

/// <summary>
/// Training on the narrow-band presentation (a model card's <c>input.narrow_band</c>): with
/// probability <see cref="Probability"/> an hour of a training night is drawn as the scorer draws a
/// study that lacks the full band (sampled at 50 Hz, or, for a model conditioned up to 45 Hz, behind a
/// 35-Hz hardware filter) — conditioned up to the model's narrow band (<see cref="NightImageOptions.NarrowBand"/>,
/// the card's edge, so the two cannot differ) and with the views starting at or above it silent. Unlike a random
/// low-pass (<see cref="BandwidthAugmentation"/>), the presentation is one and the same at training
/// and scoring, and its exact silence tells the model the band is missing, not quiet. Each choice is
/// a pure function of (seed, night, hour).
/// With <see cref="FilterProbability"/>, an hour is instead drawn as the scorer draws a sensing
/// candidate that low-passes at one of <see cref="NightImageOptions.FilterEdges"/> (chosen evenly): the
/// full band through that low-pass, the views at or above the edge silent.
/// </summary>
/// <param name="Seed">Seed of the choices.</param>
/// <param name="Probability">Chance that an hour is drawn narrow-band.</param>
/// <param name="FilterProbability">Chance that an hour is drawn through a sensing low-pass instead.</param>
public sealed record NarrowBandAugmentation(ulong Seed, double Probability, double FilterProbability = 0)
{
    /// <summary>The narrow band a model reads a 50-Hz recording in: its Nyquist frequency.</summary>
    public const double DefaultEdge = 25;

    /// <summary>Salt that keeps these draws independent of the bandwidth augmentation's, which share the seed.</summary>
    private const ulong Salt = 0xA24BAED4963EE407UL;

    /// <summary>Whether hour <paramref name="hour"/> (epochs 120 h … 120 h + 119 of the recording) of <paramref name="night"/> is drawn narrow-band.</summary>
    public bool Narrow(string night, int hour) => Draw(night, hour) < Probability;

    /// <summary>
    /// Which of <paramref name="filterEdges"/> hour <paramref name="hour"/> of <paramref name="night"/> is drawn
    /// through, or −1 for none (full band or narrow-band): one draw with <see cref="Narrow"/>'s, so hours drawn
    /// narrow-band are the same with and without filter hours.
    /// </summary>
    public int Filter(string night, int hour, int filterEdges)
    {
        double u = Draw(night, hour);
        return filterEdges > 0 && u >= Probability && u < Probability + FilterProbability
            ? Math.Min(filterEdges - 1, (int)((u - Probability) / FilterProbability * filterEdges))
            : -1;
    }

    private double Draw(string night, int hour)
    {
        ArgumentNullException.ThrowIfNull(night);
        var random = new Training.SeededRandom(Seed ^ Salt ^ Training.SeededRandom.StableKey(night) ^ ((ulong)(uint)hour * 0xD1B54A32D192ED03UL));
        random.NextUInt64();
        return random.NextDouble();
    }
}
