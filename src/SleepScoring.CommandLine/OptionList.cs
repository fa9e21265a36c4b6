using System.Globalization;

namespace SleepScoring.CommandLine;

/// <summary>
/// The one argument parser of every verb: <c>--name value</c> options (once, or repeatable),
/// <c>--flag</c>s and up to a given number of positional arguments, in any order. Anything unknown,
/// repeated, incomplete or malformed is a <see cref="UsageException"/> naming it.
/// </summary>
public sealed class OptionList
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);
    private readonly List<string> positionals = [];

    private OptionList()
    {
    }

    /// <summary>The positional arguments, in order.</summary>
    public IReadOnlyList<string> Positionals => positionals;

    /// <summary>
    /// Parses <paramref name="args"/>: options in <paramref name="valued"/> take the next argument
    /// (once; those also in <paramref name="repeatable"/> any number of times), options in
    /// <paramref name="flagNames"/> take none, and at most <paramref name="maxPositionals"/>
    /// arguments that do not start with <c>--</c> are positional.
    /// </summary>
    public static OptionList Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string> flagNames, IReadOnlyCollection<string>? repeatable = null, int maxPositionals = 0)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(valued);
        ArgumentNullException.ThrowIfNull(flagNames);
        repeatable ??= [];
        OptionList list = new();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (valued.Contains(arg) || repeatable.Contains(arg))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option '{arg}' needs a value");
                }

                if (!list.values.TryGetValue(arg, out List<string>? given))
                {
                    list.values[arg] = given = [];
                }
                else if (!repeatable.Contains(arg))
                {
                    throw new UsageException($"option '{arg}' given twice");
                }

                given.Add(args[++i]);
            }
            else if (flagNames.Contains(arg))
            {
                list.flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) || list.positionals.Count >= maxPositionals)
            {
                throw new UsageException($"unknown argument '{arg}'");
            }
            else
            {
                list.positionals.Add(arg);
            }
        }

        return list;
    }

    /// <summary>The value of a required option.</summary>
    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"option '{name}' is required");

    /// <summary>The value of an optional option, or null.</summary>
    public string? Optional(string name) => values.TryGetValue(name, out List<string>? given) ? given[^1] : null;

    /// <summary>Every value of a repeatable option, in order (empty when not given).</summary>
    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out List<string>? given) ? given : [];

    /// <summary>True when the flag was given.</summary>
    public bool Has(string flag) => flags.Contains(flag);

    /// <summary>Positional argument <paramref name="index"/>, required; <paramref name="what"/> names it in the error.</summary>
    public string Positional(int index, string what) =>
        index < positionals.Count ? positionals[index] : throw new UsageException($"{what} is required");

    /// <summary>An optional non-negative integer option.</summary>
    public ulong UnsignedOr(string name, ulong fallback) =>
        Optional(name) is not string text ? fallback
        : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value
        : throw new UsageException($"option '{name}' must be a non-negative integer (got '{text}')");

    /// <summary>An optional non-negative integer option that fits an <see cref="int"/>.</summary>
    public int NonNegativeOr(string name, int fallback) =>
        Optional(name) is not string text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value
        : throw new UsageException($"option '{name}' must be a non-negative integer (got '{text}')");

    /// <summary>An optional positive integer option.</summary>
    public int PositiveOr(string name, int fallback) =>
        Optional(name) is not string text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value
        : throw new UsageException($"option '{name}' must be a positive integer (got '{text}')");

    /// <summary>An optional finite number accepted by <paramref name="valid"/>; <paramref name="expected"/> says what is accepted.</summary>
    public double NumberOr(string name, double fallback, Func<double, bool> valid, string expected)
    {
        ArgumentNullException.ThrowIfNull(valid);
        return Optional(name) is not string text ? fallback
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && valid(value) ? value
            : throw new UsageException($"option '{name}' must be {expected} (got '{text}')");
    }
}
