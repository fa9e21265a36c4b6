using SleepScoring.CommandLine;
using SleepScoring.Model;
using SleepScoring.Training.Data;
using SleepScoring.Training.Export;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab export</c>: quantizes a trained folder's float weights again and rewrites its
/// integer and float graphs and model card — after a change to the quantization, without training
/// again. Calibration uses the training subjects and the temperature the validation subject that
/// training.json names, loaded from the data folder as training loaded them.
/// </summary>
internal sealed class ExportVerb : IVerb
{
    public string Name => "export";

    public string Arguments => "--model <dir> --data <dir> [--model-version V] [--tables ivit|exact] [--breakdown <held-out dir>] [--threads N]";

    public string Summary => "re-quantize a trained model folder: integer-only and float ONNX graphs and the model card";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--model", "--data", "--model-version", "--threads", "--tables", "--breakdown"], []);
        string modelDirectory = options.Required("--model");
        string data = options.Required("--data");
        int threads = options.PositiveOr("--threads", Environment.ProcessorCount);
        TorchRuntime.Configure(threads);

        (var classifier, var sequence, TrainingRecord record) = FloatModelDirectory.Load(modelDirectory);
        using (classifier)
        using (sequence)
        {
            NightImageOptions imageOptions = NightImageOptions.From(record.Image, false, threads);
            IReadOnlyList<LoadedNight> nights = TrainingFolder.Load(data, imageOptions, Console.Error);
            var all = new EpochDataset(nights.Select(n => n.Images), sleepPeriodOnly: true);

            // Quantized on the training subjects' images as train drew them (its low-passed or narrow-band
            // hours again), so a re-export of an unchanged folder writes train's integer graphs.
            EpochDataset training = TrainVerb.TrainingImages(data, imageOptions, record, all);
            foreach (string subject in record.TrainingSubjects.Concat(record.ValidationSubjects))
            {
                if (!all.Subjects.Contains(subject, StringComparer.Ordinal))
                {
                    throw new TrainingDataException($"'{data}' has no night of subject {subject}, which {FloatModelDirectory.RecordFile} names; export needs the data the model was trained on.");
                }
            }

            var result = new TwoStageResult(classifier, sequence, record.EncoderPasses, record.SequencePasses);
            IntegerStagingModel integer = ModelFolderExport.Write(modelDirectory, result, record, training, all.ForSubjects(record.ValidationSubjects), options.Optional("--model-version") ?? TrainVerb.VersionOf(modelDirectory), TrainVerb.Tables(options.Optional("--tables")));
            TrainingAmplitude.Write(modelDirectory, data, output);
            if (options.Optional("--breakdown") is string heldOut)
            {
                IReadOnlyList<LoadedNight> test = TrainingFolder.Load(heldOut, NightImageOptions.From(record.Image, false, threads), TextWriter.Null);
                foreach ((string path, double agreement) in PrecisionBreakdown.Run(classifier.Encoder, sequence, integer, test.Select(n => n.Images)))
                {
                    output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{agreement:P1} same stage as float: {path}"));
                }
            }
        }

        output.WriteLine(Path.Combine(Path.GetFullPath(modelDirectory), ModelCard.FileName));
        return VerbDispatcher.Success;
    }
}
