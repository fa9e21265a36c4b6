using System.Globalization;

namespace SleepScoring.Cli.Verbs;

/// <summary>
/// Parsed <c>--name value</c> options and flags of one verb; anything unknown or incomplete is a
/// <see cref="UsageException"/> naming it.
/// </summary>
internal sealed class OptionList
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private OptionList()
    {
    }

    /// <summary>Parses <paramref name="args"/>: options in <paramref name="valued"/> take the next argument.</summary>
    public static OptionList Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flags)
    {
        OptionList list = new();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (valued.Contains(arg) && i + 1 < args.Count && !list._values.ContainsKey(arg))
            {
                list._values[arg] = args[++i];
            }
            else if (flags.Contains(arg))
            {
                list._flags.Add(arg);
            }
            else
            {
                throw new UsageException(valued.Contains(arg) ? $"option '{arg}' needs a value (once)" : $"unknown argument '{arg}'");
            }
        }

        return list;
    }

    /// <summary>The value of a required option.</summary>
    public string Required(string name) =>
        _values.TryGetValue(name, out string? value) ? value : throw new UsageException($"option '{name}' is required");

    /// <summary>The value of an optional option, or null.</summary>
    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>An optional non-negative integer option.</summary>
    public ulong UnsignedOr(string name, ulong fallback) =>
        Optional(name) is not string text ? fallback
        : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value
        : throw new UsageException($"option '{name}' must be a non-negative integer (got '{text}')");

    /// <summary>An optional positive integer option.</summary>
    public int PositiveOr(string name, int fallback) =>
        Optional(name) is not string text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value
        : throw new UsageException($"option '{name}' must be a positive integer (got '{text}')");
}
