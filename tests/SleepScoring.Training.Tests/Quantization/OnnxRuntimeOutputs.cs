using Google.Protobuf;

using Microsoft.ML.OnnxRuntime;

using SleepScoring.Onnx.Proto;

using static TorchSharp.torch;

using OrtTensors = Microsoft.ML.OnnxRuntime.Tensors;

namespace SleepScoring.Training.Tests.Quantization;

/// <summary>Runs an exported integer graph in ONNX Runtime on one uint8 input and returns every output as int64 values by name.</summary>
internal static class OnnxRuntimeOutputs
{
    public static Dictionary<string, long[]> Run(ModelProto model, string inputName, Tensor input)
    {
        using var session = new InferenceSession(model.ToByteArray());
        byte[] bytes = input.to_type(ScalarType.Byte).data<byte>().ToArray();
        int[] shape = input.shape.Select(d => (int)d).ToArray();
        var value = NamedOnnxValue.CreateFromTensor(inputName, new OrtTensors.DenseTensor<byte>(bytes, shape));
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run([value]);
        return outputs.ToDictionary(o => o.Name, o => o.Value switch
        {
            OrtTensors.Tensor<byte> t => t.Select(v => (long)v).ToArray(),
            OrtTensors.Tensor<int> t => t.Select(v => (long)v).ToArray(),
            _ => throw new InvalidOperationException($"Output '{o.Name}' is not uint8 or int32."),
        });
    }
}
