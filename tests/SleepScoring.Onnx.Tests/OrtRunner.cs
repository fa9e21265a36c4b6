using Google.Protobuf;

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

using SleepScoring.Onnx.Proto;

namespace SleepScoring.Onnx.Tests;

/// <summary>Runs a built model in ONNX Runtime (CPU) for the tests.</summary>
internal static class OrtRunner
{
    public static InferenceSession Load(ModelProto model) =>
        new(model.ToByteArray(), new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL });

    public static T[] Run<T>(ModelProto model, params (string Name, Tensor<T> Value)[] inputs)
        where T : unmanaged => Run<T, T>(model, inputs);

    public static TOut[] Run<TIn, TOut>(ModelProto model, params (string Name, Tensor<TIn> Value)[] inputs)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        using InferenceSession session = Load(model);
        List<NamedOnnxValue> values = inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name, i.Value)).ToList();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(values);
        return results[0].AsTensor<TOut>().ToArray();
    }
}
