using System.Runtime.InteropServices;

using Google.Protobuf;

using SleepScoring.Onnx.Proto;

namespace SleepScoring.Onnx;

/// <summary>
/// Builds an ONNX graph node by node. Output names are made unique by the builder, so export code
/// composes operators like functions: <c>var y = g.Node("Add", x, b);</c>.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>ONNX IR version written (IR 8 is read by every ONNX Runtime since 1.10).</summary>
    public const long IrVersion = 8;

    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly int opset;
    private int counter;

    public OnnxGraphBuilder(string name, int opset = 17)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        graph = new GraphProto { Name = name };
        this.opset = opset;
    }

    /// <summary>Declares a graph input; a null dimension becomes a symbolic one named by <paramref name="symbols"/>.</summary>
    public string Input(string name, TensorElementType type, long?[] dims, params string[] symbols)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, type, dims, symbols));
        return name;
    }

    /// <summary>Declares an existing value as a graph output.</summary>
    public void Output(string name, TensorElementType type, long?[] dims, params string[] symbols)
    {
        if (!names.Contains(name))
        {
            throw new InvalidOperationException($"Output '{name}' is not produced by the graph.");
        }

        graph.Output.Add(ValueInfo(name, type, dims, symbols));
    }

    /// <summary>Adds a constant tensor (stored little-endian in raw_data) and returns its name.</summary>
    public string Initializer<T>(string name, ReadOnlySpan<T> values, params long[] dims)
        where T : unmanaged
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
        {
            throw new ArgumentException($"Initializer '{name}': {values.Length} values for shape [{string.Join(",", dims)}].", nameof(values));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this exporter runs on little-endian hosts only.");
        }

        string unique = Unique(name);
        var tensor = new TensorProto
        {
            Name = unique,
            DataType = (int)TensorElementTypes.Of<T>(),
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>A scalar constant.</summary>
    public string Scalar<T>(string name, T value)
        where T : unmanaged => Initializer(name, new[] { value }.AsSpan());

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with one output; short form for inputs only.</summary>
    public string Node(string opType, params string[] inputs) => Node(opType, inputs, 1)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    public string[] Node(string opType, IReadOnlyList<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        foreach (string input in inputs)
        {
            if (input.Length > 0 && !names.Contains(input))
            {
                throw new InvalidOperationException($"{opType}: input '{input}' is not defined yet.");
            }
        }

        var node = new NodeProto { OpType = opType, Name = $"{opType}_{counter}" };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        string[] outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            outputs[i] = Unique($"{opType.ToLowerInvariant()}_{counter}");
        }

        node.Output.AddRange(outputs);
        graph.Node.Add(node);
        counter++;
        return outputs;
    }

    /// <summary>Gives a value a readable name (an Identity node), e.g. for graph outputs.</summary>
    public string Name(string value, string name)
    {
        var node = new NodeProto { OpType = "Identity", Name = $"Identity_{counter++}" };
        node.Input.Add(value);
        Claim(name);
        node.Output.Add(name);
        graph.Node.Add(node);
        return name;
    }

    /// <summary>The finished model.</summary>
    public ModelProto Build(string producerVersion, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SleepScoring",
            ProducerVersion = producerVersion,
            Graph = graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        if (metadata is not null)
        {
            foreach ((string key, string value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorElementType type, long?[] dims, string[] symbols)
    {
        var shape = new TensorShapeProto();
        int symbol = 0;
        foreach (long? dim in dims)
        {
            shape.Dim.Add(dim is long value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = symbol < symbols.Length ? symbols[symbol++] : $"d{symbol++}" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private string Unique(string stem)
    {
        string name = stem;
        for (int i = 1; names.Contains(name); i++)
        {
            name = $"{stem}_{i}";
        }

        names.Add(name);
        return name;
    }

    private void Claim(string name)
    {
        if (!names.Add(name))
        {
            throw new InvalidOperationException($"Value name '{name}' is already used in graph '{graph.Name}'.");
        }
    }
}
