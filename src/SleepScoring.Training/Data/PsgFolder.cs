namespace SleepScoring.Training.Data;

/// <summary>One night's files: the PSG and its hypnogram, with the subject and night they belong to.</summary>
/// <param name="Name">The shared name prefix, e.g. <c>SC4001E</c> (subject + night).</param>
/// <param name="SubjectId">Subject id: characters 3–4 of the name, e.g. <c>00</c>.</param>
/// <param name="NightId">Night number: character 5 of the name, e.g. 1.</param>
/// <param name="PsgPath">The PSG EDF.</param>
/// <param name="HypnogramPath">The hypnogram EDF+.</param>
public sealed record PsgPair(string Name, string SubjectId, int NightId, string PsgPath, string HypnogramPath);

/// <summary>
/// Finds PSG/hypnogram pairs in a folder named like Sleep-EDF (and the surrogate generator's
/// output): <c>SC4001E0-PSG.edf</c> pairs with <c>SC4001EC-Hypnogram.edf</c> because both start
/// with the same 7 characters (study type, subject, night, recording letter); the 8th differs
/// (PSG version vs scorer). Files that do not pair are reported as warnings, not errors, so a
/// folder with a stray file still trains.
/// </summary>
public static class PsgFolder
{
    /// <summary>Characters that identify a night: <c>SC4</c> + subject (2) + night (1) + recording letter.</summary>
    public const int NightKeyLength = 7;

    private const string PsgSuffix = "-PSG.edf";
    private const string HypnogramSuffix = "-Hypnogram.edf";

    /// <summary>The pairs in <paramref name="directory"/>, sorted by name; unpaired or misnamed files go to <paramref name="warnings"/>.</summary>
    /// <exception cref="TrainingDataException">The folder does not exist or holds no pair.</exception>
    public static IReadOnlyList<PsgPair> FindPairs(string directory, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!Directory.Exists(directory))
        {
            throw new TrainingDataException($"The data folder '{directory}' does not exist.");
        }

        Dictionary<string, string> psgs = ByKey(directory, PsgSuffix, warnings);
        Dictionary<string, string> hypnograms = ByKey(directory, HypnogramSuffix, warnings);
        var pairs = new List<PsgPair>();
        foreach ((string key, string psg) in psgs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!hypnograms.TryGetValue(key, out string? hypnogram))
            {
                warnings.Add($"{Path.GetFileName(psg)}: no matching *{HypnogramSuffix} (same first {NightKeyLength} characters); skipped.");
                continue;
            }

            pairs.Add(new PsgPair(key, SubjectId(key), NightId(key), psg, hypnogram));
        }

        foreach ((string key, string hypnogram) in hypnograms.Where(h => !psgs.ContainsKey(h.Key)).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            warnings.Add($"{Path.GetFileName(hypnogram)}: no matching *{PsgSuffix}; skipped.");
        }

        if (pairs.Count == 0)
        {
            throw new TrainingDataException($"The data folder '{directory}' holds no PSG/hypnogram pair (expected names like SC4001E0{PsgSuffix} and SC4001EC{HypnogramSuffix}).");
        }

        return pairs;
    }

    /// <summary>Subject id of a Sleep-EDF name: characters 3–4 (<c>SC4001E0</c> → <c>00</c>).</summary>
    public static string SubjectId(string name) => name.Substring(3, 2);

    /// <summary>Night number of a Sleep-EDF name: character 5 (<c>SC4001E0</c> → 1), 0 when not a digit.</summary>
    public static int NightId(string name) => char.IsAsciiDigit(name[5]) ? name[5] - '0' : 0;

    private static Dictionary<string, string> ByKey(string directory, string suffix, ICollection<string> warnings)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFiles(directory, "*" + suffix).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (!name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || name.Length - suffix.Length < NightKeyLength)
            {
                warnings.Add($"{name}: not named like Sleep-EDF (at least {NightKeyLength} characters before '{suffix}'); skipped.");
                continue;
            }

            string key = name[..NightKeyLength];
            if (!byKey.TryAdd(key, path))
            {
                warnings.Add($"{name}: a second *{suffix} for night {key} (kept {Path.GetFileName(byKey[key])}); skipped.");
            }
        }

        return byKey;
    }
}
