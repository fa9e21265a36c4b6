using SleepScoring.Training.Metrics;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// What <see cref="SupervisedTrainer"/> needs from data, whatever it is (epoch images, embedding
/// windows, feature vectors): numbered training samples that can be batched, and a validation
/// evaluation of the model.
/// </summary>
public interface ITrainingSource
{
    /// <summary>Number of training samples.</summary>
    int TrainingCount { get; }

    /// <summary>
    /// Inputs and targets of the training samples <paramref name="indices"/>. Targets are int64
    /// stage indices; the trainer flattens logits [..., C] and targets [...] alike, and
    /// targets equal to <see cref="SupervisedTrainer.IgnoreTarget"/> (padding, unscored) are skipped.
    /// </summary>
    (Tensor Input, Tensor Target) TrainingBatch(ReadOnlySpan<int> indices);

    /// <summary>Stage counts of the training targets (for class weights), one per class.</summary>
    long[] TrainingStageCounts();

    /// <summary>Called before each training pass (also the first pass of a resumed run), for pass-dependent sampling.</summary>
    void BeginPass(int pass)
    {
    }

    /// <summary>Scores the validation samples with <paramref name="model"/> (already in eval mode).</summary>
    ConfusionMatrix Validate(nn.Module<Tensor, Tensor> model);
}
