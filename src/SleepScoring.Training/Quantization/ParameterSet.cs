using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// A trained module's parameters and buffers by state-dict name, as float64 CPU tensors, so the
/// quantizer reads weights without reaching into the modules' private fields.
/// </summary>
public sealed class ParameterSet : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    public ParameterSet(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        tensors = module.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().to_type(ScalarType.Float64).cpu().clone(), StringComparer.Ordinal);
    }

    /// <summary>The tensor named <paramref name="name"/>; throws naming the known names when absent.</summary>
    public Tensor this[string name] => tensors.TryGetValue(name, out Tensor? t)
        ? t
        : throw new KeyNotFoundException($"Parameter '{name}' not in the model (has: {string.Join(", ", tensors.Keys.Take(12))}…).");

    public void Dispose()
    {
        foreach (Tensor t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
