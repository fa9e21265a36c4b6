using SleepScoring.Onnx.Proto;

namespace SleepScoring.Onnx;

/// <summary>
/// Infers the element type of every value in a graph (inputs, initializers and every node output)
/// for the operators our exporter emits. Unknown operators are reported, never guessed, so the
/// integer-only check cannot pass a graph it does not understand.
/// </summary>
public static class ElementTypeInference
{
    private static readonly HashSet<string> SameAsFirstInput = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Mod", "Max", "Min", "Clip", "Abs", "Neg", "Sign", "Relu",
        "BitShift", "ReduceMax", "ReduceMin", "ReduceSum", "Transpose", "Reshape", "Concat", "Slice",
        "Identity", "Unsqueeze", "Squeeze", "Expand", "Tile", "Pad", "Flatten", "Split", "MaxPool",
        "MatMul", "Gemm", "Conv", "Softmax", "Exp", "Log", "Sqrt", "Erf", "Tanh", "Sigmoid", "Gelu",
        "Reciprocal", "Pow", "Round", "Floor", "Ceil", "LayerNormalization", "BatchNormalization",
        "ReduceMean", "Sum", "Mean", "CumSum", "TopK",
    };

    private static readonly HashSet<string> BoolResult = new(StringComparer.Ordinal)
    {
        "Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Not", "Xor",
    };

    /// <summary>Element type of each named value; throws <see cref="OnnxGraphException"/> on an operator it cannot type.</summary>
    public static IReadOnlyDictionary<string, TensorElementType> Infer(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var types = new Dictionary<string, TensorElementType>(StringComparer.Ordinal);
        foreach (ValueInfoProto input in graph.Input)
        {
            types[input.Name] = (TensorElementType)input.Type.TensorType.ElemType;
        }

        foreach (TensorProto initializer in graph.Initializer)
        {
            types[initializer.Name] = (TensorElementType)initializer.DataType;
        }

        foreach (NodeProto node in graph.Node)
        {
            TensorElementType type = OutputType(node, types);
            foreach (string output in node.Output)
            {
                if (output.Length > 0)
                {
                    types[output] = type;
                }
            }
        }

        return types;
    }

    private static TensorElementType OutputType(NodeProto node, Dictionary<string, TensorElementType> types)
    {
        TensorElementType Input(int i) =>
            i < node.Input.Count && types.TryGetValue(node.Input[i], out TensorElementType t)
                ? t
                : throw new OnnxGraphException($"node '{node.Name}' ({node.OpType}): input {i} '{(i < node.Input.Count ? node.Input[i] : "")}' has no known type");

        return node.OpType switch
        {
            "MatMulInteger" or "ConvInteger" => TensorElementType.Int32,
            "Cast" => (TensorElementType)Attribute(node, "to").I,
            "Shape" or "Size" or "ArgMax" or "ArgMin" => TensorElementType.Int64,
            "Gather" or "GatherElements" => Input(0),
            "Where" => Input(1),
            "QuantizeLinear" or "DynamicQuantizeLinear" => node.Input.Count > 2 ? Input(2) : TensorElementType.UInt8,
            "DequantizeLinear" => TensorElementType.Float,
            "Constant" => (TensorElementType)Attribute(node, "value").T.DataType,
            string op when BoolResult.Contains(op) => TensorElementType.Bool,
            string op when SameAsFirstInput.Contains(op) => Input(0),
            _ => throw new OnnxGraphException($"node '{node.Name}': operator '{node.OpType}' is not known to the type inference"),
        };
    }

    private static AttributeProto Attribute(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)
        ?? throw new OnnxGraphException($"node '{node.Name}' ({node.OpType}): attribute '{name}' is missing");
}
