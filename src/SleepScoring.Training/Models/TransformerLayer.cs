using SleepScoring.Training.Training;

using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// Pre-LayerNorm transformer layer: x + Attn(LN(x)), then x + MLP(LN(x)) with GELU. Built from
/// linear layers, LayerNorm, softmax attention, GELU and residual adds only — the operators
/// with I-ViT integer counterparts. Returns the attention probabilities [N, heads, T, T] too.
/// </summary>
internal sealed class TransformerLayer : nn.Module<Tensor, (Tensor Output, Tensor Attention)>
{
    private readonly LayerNorm attentionNorm;
    private readonly Linear queryKeyValue;
    private readonly Linear projection;
    private readonly LayerNorm mlpNorm;
    private readonly Linear expand;
    private readonly Linear contract;
    private readonly Dropout dropout;
    private readonly int heads;
    // A field, not an implicit conversion: a temporary Scalar can be finalized mid-call.
    private readonly Scalar scale;

    public TransformerLayer(string name, int dim, int heads, int mlpDim, double dropoutRate)
        : base(name)
    {
        this.heads = heads;
        scale = (1.0 / Math.Sqrt(dim / heads)).ToScalar();
        attentionNorm = nn.LayerNorm(dim);
        queryKeyValue = nn.Linear(dim, 3 * dim);
        projection = nn.Linear(dim, dim);
        mlpNorm = nn.LayerNorm(dim);
        expand = nn.Linear(dim, mlpDim);
        contract = nn.Linear(mlpDim, dim);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>
    /// Runs <paramref name="layers"/> in order inside the caller's dispose scope; each layer's
    /// attention probabilities are moved out of that scope so the caller can return them.
    /// </summary>
    public static (Tensor Output, IReadOnlyList<Tensor> Attention) RunStack(ICollection<TransformerLayer> layers, Tensor x)
    {
        var attention = new List<Tensor>(layers.Count);
        foreach (TransformerLayer layer in layers)
        {
            (x, Tensor map) = layer.forward(x);
            attention.Add(map.MoveToOuterDisposeScope());
        }

        return (x, attention);
    }

    public override (Tensor Output, Tensor Attention) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long batch = input.shape[0], tokens = input.shape[1], dim = input.shape[2];
        Tensor qkv = queryKeyValue.forward(attentionNorm.forward(input))
            .view(batch, tokens, 3, heads, dim / heads)
            .permute(2, 0, 3, 1, 4);
        Tensor query = qkv[0], key = qkv[1], value = qkv[2];
        Tensor probabilities = query.matmul(key.transpose(-2, -1)).mul_(scale).softmax(-1);
        Tensor mixed = probabilities.matmul(value).transpose(1, 2).reshape(batch, tokens, dim);
        Tensor afterAttention = input.add(dropout.forward(projection.forward(mixed)), TorchScalars.One);
        Tensor hidden = nn.functional.gelu(expand.forward(mlpNorm.forward(afterAttention)));
        Tensor output = afterAttention.add(dropout.forward(contract.forward(hidden)), TorchScalars.One);
        return (output.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            scale.Dispose();
        }

        base.Dispose(disposing);
    }
}
