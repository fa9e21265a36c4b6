using System.Globalization;
using System.Text.RegularExpressions;

using SleepScoring.Analysis.Montage;
using SleepScoring.Edf;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// Whether a study's EEG lacks part of the band a model reads (up to its conditioning low-pass):
/// sampled too slowly to carry it (Nyquist below the edge), or recorded through a lower low-pass,
/// as the EDF header's prefiltering field says (<c>LP:35Hz</c>, the AASM's recommended EEG band).
/// Read from the header only: a recorder states both, and a measured spectrum cannot tell a
/// filtered band from a quiet one.
/// </summary>
public static partial class NarrowBandRecording
{
    /// <summary>
    /// Why the EEG of <paramref name="montage"/> (resolved from <paramref name="reader"/>'s header) lacks the band
    /// up to <paramref name="fullBand"/> Hz, or null when every EEG source carries it; decided before conditioning.
    /// </summary>
    public static string? Reason(EdfReader reader, StudyMontage montage, double fullBand)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(montage);
        // The leads the montage gives the model, not every candidate: one slow spare lead does not make a study narrow-band.
        IEnumerable<DerivationSource> sources = montage.Sources.Where(s => s.Derivation.IsEeg);
        foreach (DerivationSource source in sources)
        {
            foreach (int index in new[] { source.Signal, source.ReferenceSignal ?? -1 }.Where(i => i >= 0))
            {
                EdfSignal signal = reader.Signals[index];
                if (signal.SamplingRate / 2 < fullBand)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"'{signal.Label.Trim()}' is sampled at {signal.SamplingRate:0.##} Hz, so it carries nothing above {signal.SamplingRate / 2:0.##} Hz");
                }

                if (LowPass(signal.Prefiltering) is double edge && edge < fullBand)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"'{signal.Label.Trim()}' was recorded through a {edge:0.##}-Hz low-pass (prefiltering '{signal.Prefiltering}')");
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The narrow band a model with <paramref name="narrowBand"/> (its card's edge, or null for none) reads
    /// <paramref name="reader"/>'s study in, with <see cref="Reason"/>'s why; null when it reads the study at its
    /// full band. The montage is resolved from the header (<see cref="StudyConditioner.ResolveMontage"/>) only
    /// for a model that has a narrow band. One decision for the scorer and for test-time adaptation, which
    /// must draw a study alike.
    /// </summary>
    /// <exception cref="MontageException">No usable EEG derivation.</exception>
    public static (double Edge, string Why)? Presentation(EdfReader reader, IEnumerable<string>? explicitMappings, double fullBand, double? narrowBand) =>
        narrowBand is double edge && Reason(reader, StudyConditioner.ResolveMontage(reader, explicitMappings), fullBand) is string why ? (edge, why) : null;

    /// <summary>The low-pass edge an EDF prefiltering text states (<c>LP:35Hz</c>, <c>LP: 70 Hz</c>, <c>LP:1kHz</c>), or null.</summary>
    public static double? LowPass(string prefiltering)
    {
        ArgumentNullException.ThrowIfNull(prefiltering);
        Match match = LowPassPattern().Match(prefiltering);
        return match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) && hz > 0
            ? (match.Groups[2].Success && match.Groups[2].Value.Length > 0 ? hz * 1000 : hz)
            : null;
    }

    [GeneratedRegex(@"\bLP\s*:\s*([0-9]+(?:\.[0-9]+)?)\s*(k)?(?:Hz)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LowPassPattern();
}
