using SleepScoring.Onnx.Proto;

namespace SleepScoring.Onnx;

/// <summary>
/// Verifies the promise of the integer-only model: every graph input, output, initializer and
/// intermediate value is an integer (or boolean) tensor, and no operator that computes in floating
/// point appears, even if its inputs and outputs were integers (e.g. QuantizeLinear's float scale).
/// MatMul is not among them: on int32/int64 tensors ONNX Runtime multiplies integers (the graphs
/// use it for row sums), and its tensors are checked like every other value.
/// </summary>
public static class IntegerOnlyCheck
{
    /// <summary>Operators whose arithmetic is floating point whatever their tensor types.</summary>
    public static readonly IReadOnlySet<string> FloatOnlyOperators = new HashSet<string>(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearMatMul", "QLinearConv",
        "QLinearAdd", "QLinearMul", "Softmax", "Exp", "Log", "Sqrt", "Erf", "Tanh", "Sigmoid", "Gelu",
        "Reciprocal", "Pow", "Round", "Floor", "Ceil", "LayerNormalization", "BatchNormalization",
        "InstanceNormalization", "ReduceMean", "Mean", "Gemm", "Conv",
    };

    /// <summary>Every violation, one line each naming the value or node; empty when the graph is integer-only.</summary>
    public static IReadOnlyList<string> Violations(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var violations = new List<string>();
        GraphProto graph = model.Graph;
        foreach (NodeProto node in graph.Node.Where(n => FloatOnlyOperators.Contains(n.OpType)))
        {
            violations.Add($"node '{node.Name}' uses float-only operator {node.OpType}");
        }

        IReadOnlyDictionary<string, TensorElementType> types;
        try
        {
            types = ElementTypeInference.Infer(graph);
        }
        catch (OnnxGraphException e)
        {
            violations.Add(e.Message);
            return violations;
        }

        foreach (ValueInfoProto output in graph.Output)
        {
            var declared = (TensorElementType)output.Type.TensorType.ElemType;
            if (!TensorElementTypes.IsInteger(declared))
            {
                violations.Add($"graph output '{output.Name}' is declared {declared}");
            }
        }

        foreach ((string name, TensorElementType type) in types.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!TensorElementTypes.IsInteger(type))
            {
                violations.Add($"value '{name}' is {type}");
            }
        }

        return violations;
    }

    /// <summary>How many nodes of each operator the graph holds, for the model card.</summary>
    public static IReadOnlyDictionary<string, int> OperatorHistogram(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Graph.Node
            .GroupBy(n => n.OpType, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
