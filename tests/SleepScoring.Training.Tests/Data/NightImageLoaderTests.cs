using SleepScoring.Analysis;
using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Analysis.Staging;
using SleepScoring.Edf;
using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;
using SleepScoring.Tests.Common;
using SleepScoring.Tests.Support;
using SleepScoring.Training.Data;
using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Data;

public sealed class NightImageLoaderTests
{
    private static readonly string Folder = Path.Combine(SharedData.RepositoryRoot, "sample-data");
    private static readonly Lazy<LoadedNight> Cropped = new(() => LoadSample(wholeRecording: false));

    [Fact]
    public void SampleNight_IsCroppedToTheSleepPeriodPlus60EpochsOfWake()
    {
        SleepStage[] scored = ScoredStages();
        Assert.Equal(255, scored.Length); // sample-data/README.md: 255 records of 30 s

        // Independent of the loader: first and last N1/N2/N3/R epoch ± 60, clamped to the recording.
        int firstSleep = Array.FindIndex(scored, IsSleep);
        int lastSleep = Array.FindLastIndex(scored, IsSleep);
        Assert.Equal(60, firstSleep); // README: the crop starts 30 min (60 epochs) before the first scored sleep
        int first = Math.Max(0, firstSleep - 60), last = Math.Min(scored.Length - 1, lastSleep + 60);

        LoadedNight night = Cropped.Value;
        Assert.Equal(255, night.RecordingEpochs);
        Assert.Equal(last - first + 1, night.Images.Count);
        Assert.Equal(Enumerable.Range(first, last - first + 1), night.Images.EpochIndices.ToArray());
        Assert.Equal(scored[first..(last + 1)], night.Images.Stages.ToArray());
        Assert.Equal(("00", 1, 64, 300), (night.Images.SubjectId, night.Images.NightId, night.Images.Height, night.Images.Width));
    }

    [Fact]
    public void ShortSleepPeriod_IsCroppedWithin_TheRecording()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-crop-").FullName;
        try
        {
            // Sleep (N2) only in epochs 120..150, wake elsewhere, epoch 10 unscored: crop = [120 - 60, 150 + 60] = [60, 210], 151 epochs.
            SleepStage[] stages = [.. Enumerable.Range(0, 255).Select(i => i is >= 120 and <= 150 ? SleepStage.N2 : i == 10 ? SleepStage.Unscored : SleepStage.W)];
            File.Copy(Path.Combine(Folder, "SC4001E0-PSG.edf"), Path.Combine(folder, "SC4001E0-PSG.edf"));
            using (EdfReader reader = EdfReader.Open(Path.Combine(Folder, "SC4001E0-PSG.edf")))
            {
                HypnogramEdf.Write(new Hypnogram(stages, 30, reader.Header.StartTime), Path.Combine(folder, "SC4001EC-Hypnogram.edf"));
            }

            IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(folder, new List<string>());
            NightImages cropped = Assert.Single(NightImageLoader.Load(pairs, new NightImageOptions(), new List<string>())).Images;
            Assert.Equal(151, cropped.Count);
            Assert.Equal(60, cropped.EpochIndices[0]);
            Assert.Equal(210, cropped.EpochIndices[^1]);
            Assert.Equal(31, cropped.Stages.ToArray().Count(s => s == SleepStage.N2));

            NightImages whole = Assert.Single(NightImageLoader.Load(pairs, new NightImageOptions { WholeRecording = true }, new List<string>())).Images;
            Assert.Equal(stages, whole.Stages.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WholeRecordingOption_KeepsEveryEpoch()
    {
        LoadedNight whole = LoadSample(wholeRecording: true);
        Assert.Equal(255, whole.Images.Count);
        Assert.Equal(ScoredStages(), whole.Images.Stages.ToArray());
    }

    [Fact]
    public void Images_AreTheBytesOfTheServicesGatherAndRenderer()
    {
        LoadedNight night = Cropped.Value;
        using EdfReader reader = EdfReader.Open(Path.Combine(Folder, "SC4001E0-PSG.edf"));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        float[][] bands = [study.Derivations.Single(d => d.Name == "EEG Fpz-Cz").Samples.ToArray(), study.Derivations.Single(d => d.Name == "EEG Pz-Oz").Samples.ToArray()];
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 2, TraceDrawingMode.Envelope);
        var samples = new float[2 * 3000];
        var expected = new byte[renderer.ImageByteCount];
        foreach (int position in new[] { 0, 60, 137, night.Images.Count - 1 })
        {
            EpochSamples.Gather(bands, night.Images.EpochIndices[position], samples);
            renderer.Render(samples, expected);
            Assert.True(expected.AsSpan().SequenceEqual(night.Images.Image(position)), $"epoch {position} differs");
            Assert.Contains(expected, b => b != 0); // a drawn trace, not an empty image
        }
    }

    [Fact]
    public void ExtraViews_StackEachDerivationsViews_AsTheServiceCutsThem()
    {
        var warnings = new List<string>();
        IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(Folder, warnings);
        TraceView[] extra = [TraceView.Parse("4-8@20"), TraceView.Parse("13-30@10")];
        var options = new NightImageOptions { MaxParallelism = 1, ExtraViews = extra };
        LoadedNight night = Assert.Single(NightImageLoader.Load(pairs, options, warnings));

        using EdfReader reader = EdfReader.Open(Path.Combine(Folder, "SC4001E0-PSG.edf"));
        ConditionedStudy study = new StudyConditioner().Condition(reader);
        float[][] bands = [study.Derivations.Single(d => d.Name == "EEG Fpz-Cz").Samples.ToArray(), study.Derivations.Single(d => d.Name == "EEG Pz-Oz").Samples.ToArray()];
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 6, TraceDrawingMode.Envelope);
        var views = new EpochViews([TraceView.Parse("raw@100"), .. extra], 100f);
        var samples = new float[6 * 3000];
        var expected = new byte[renderer.ImageByteCount];

        // Two derivations × (trace + two views) × 32 rows.
        Assert.Equal(192, night.Images.Height);
        foreach (int position in new[] { 0, 137 })
        {
            views.Gather(bands, night.Images.EpochIndices[position], samples);
            renderer.Render(samples, expected);
            Assert.True(expected.AsSpan().SequenceEqual(night.Images.Image(position)), $"epoch {position} differs");
        }

        // The training record keeps the views, and its loader options draw them again.
        ModelImageSpec spec = options.Spec(segments: 15);
        Assert.Equal(["raw@100", "4-8@20", "13-30@10"], spec.Views);
        Assert.Equal(192, spec.ImageHeight);
        Assert.Equal(options.Views, NightImageOptions.From(spec, false, 1).Views);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void With_amplitude_normalisation_a_night_recorded_k_times_larger_draws_the_same_images(double k)
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-normalised-").FullName;
        try
        {
            // The committed sample as recorded and with its EEG × k (an amplifier, a referential montage), same hypnogram.
            string[] nights = [Path.Combine(folder, "as-recorded"), Path.Combine(folder, "scaled")];
            foreach ((string night, double gain) in nights.Zip([1.0, k]))
            {
                Directory.CreateDirectory(night);
                MontageStudies.Write(Path.Combine(night, "SC4001E0-PSG.edf"), 100, ("EEG Fpz-Cz", "EEG Fpz-Cz", gain), ("EEG Pz-Oz", "EEG Pz-Oz", gain));
                File.Copy(Path.Combine(Folder, "SC4001EC-Hypnogram.edf"), Path.Combine(night, "SC4001EC-Hypnogram.edf"));
            }

            NightImages[] Load(AmplitudeNormalisation? normalisation) => [.. nights.Select(n => Assert.Single(NightImageLoader.Load(
                PsgFolder.FindPairs(n, new List<string>()), new NightImageOptions { MaxParallelism = 1, AmplitudeNormalisation = normalisation }, new List<string>())).Images)];

            NightImages[] normalised = Load(NightImageOptions.DefaultAmplitudeNormalisation);
            NightImages[] recorded = Load(null);

            // Equal but for the EDF's 16-bit quantisation at each gain, which can move an envelope's end by a row.
            Assert.InRange(SamePixels(normalised[0], normalised[1]), 0.995, 1.0);
            Assert.InRange(SamePixels(recorded[0], recorded[1]), 0.0, 0.97);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_normalisation_over_the_recording_measures_every_scorable_epoch_not_the_cropped_span()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-over-recording-").FullName;
        try
        {
            // The sample with its first 160 epochs scored as wake: the crop starts at epoch 100, the recording at 0.
            File.Copy(Path.Combine(Folder, "SC4001E0-PSG.edf"), Path.Combine(folder, "SC4001E0-PSG.edf"));
            SleepStage[] scored = [.. ScoredStages().Select((s, i) => i < 160 ? SleepStage.W : s)];
            HypnogramEdf.Write(new Hypnogram(scored, startTime: HypnogramEdf.Read(Path.Combine(Folder, "SC4001EC-Hypnogram.edf")).Hypnogram.StartTime), Path.Combine(folder, "SC4001EC-Hypnogram.edf"));
            IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(folder, new List<string>());
            AmplitudeNormalisation overRecording = NightImageOptions.DefaultAmplitudeNormalisation with { OverRecording = true };
            NightImages images = Assert.Single(NightImageLoader.Load(pairs, new NightImageOptions { MaxParallelism = 1, AmplitudeNormalisation = overRecording }, new List<string>())).Images;
            NightImages cropped = Assert.Single(NightImageLoader.Load(pairs, new NightImageOptions { MaxParallelism = 1, AmplitudeNormalisation = NightImageOptions.DefaultAmplitudeNormalisation }, new List<string>())).Images;
            Assert.Equal(100, images.EpochIndices[0]);

            // Independently of the loader: each lead's gain from the lower quartile of every scorable epoch's amplitude.
            using EdfReader reader = EdfReader.Open(Path.Combine(folder, "SC4001E0-PSG.edf"));
            ConditionedStudy study = new StudyConditioner().Condition(reader);
            ConditionedDerivation[] leads = [.. NightImageOptions.Derivations.Select(n => study.Derivations.Single(d => d.Name == n))];
            float[] gains = [.. leads.Select((d, slot) => overRecording.Gain(slot, EpochAmplitude.NightQuantile(study, d, 0, study.Epochs.Count - 1, 0.25)))];
            float[] croppedGains = [.. leads.Select((d, slot) => overRecording.Gain(slot, EpochAmplitude.NightQuantile(study, d, 100, study.Epochs.Count - 1, 0.25)))];
            Assert.NotEqual(gains, croppedGains);
            using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 2 * 4, TraceDrawingMode.Envelope);
            var views = new EpochViews(new NightImageOptions().Views, 100f);
            var samples = new float[2 * 4 * 3000];
            var expected = new byte[renderer.ImageByteCount];
            foreach (int position in new[] { 0, 77, images.Count - 1 })
            {
                views.Gather([.. leads.Select(d => d.Samples.ToArray())], gains, images.EpochIndices[position], samples);
                renderer.Render(samples, expected);
                Assert.True(expected.AsSpan().SequenceEqual(images.Image(position)), $"epoch {position} differs");
            }

            Assert.InRange(SamePixels(images, cropped), 0.0, 0.99);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_spec_carries_the_conditioning_low_pass_and_the_normalisation_to_the_loader()
    {
        // With the muscle view the views end at 45 Hz: the conditioning keeps the recording up to there.
        var options = new NightImageOptions { ExtraViews = [.. NightImageOptions.DefaultExtraViews, NightImageOptions.MuscleView], AmplitudeNormalisation = NightImageOptions.DefaultAmplitudeNormalisation };
        Assert.Equal(45, options.ConditioningLowPass);
        Assert.Equal(35, new NightImageOptions().ConditioningLowPass); // the shipped views end at 30 Hz

        ModelImageSpec spec = options.Spec(segments: 15);
        Assert.Equal(45, spec.ConditioningLowPass);
        NightImageOptions back = NightImageOptions.From(spec, false, 1);
        Assert.Equal(45, back.ConditioningLowPass);
        Assert.Equal(45, back.Conditioning.LowPass);
        Assert.Equal(NightImageOptions.DefaultAmplitudeNormalisation, back.AmplitudeNormalisation);
        Assert.Null(new NightImageOptions { ExtraViews = [] }.Spec(segments: 15).ConditioningLowPass); // 35 Hz: written as before
    }

    [Fact]
    public void Narrow_band_hours_are_drawn_as_the_scorer_draws_a_narrow_band_study_and_the_other_hours_as_recorded()
    {
        IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(Folder, new List<string>());
        TraceView[] extra = [.. NightImageOptions.DefaultExtraViews, NightImageOptions.MuscleView];
        var options = new NightImageOptions { MaxParallelism = 1, ExtraViews = extra, NarrowBand = 25 };
        var augmentation = new NarrowBandAugmentation(5, 0.5);
        NightImages plain = Assert.Single(NightImageLoader.Load(pairs, options, new List<string>())).Images;
        NightImages mixed = Assert.Single(NightImageLoader.Load(pairs, options with { NarrowBandAugmentation = augmentation }, new List<string>())).Images;

        // What the scorer draws for a narrow-band study: conditioned up to 25 Hz, views above it silent.
        using EdfReader reader = EdfReader.Open(Path.Combine(Folder, "SC4001E0-PSG.edf"));
        ConditionedStudy narrowStudy = new StudyConditioner(ConditioningOptions.Default with { LowPass = 25 }).Condition(reader);
        float[][] narrowBands = [.. NightImageOptions.Derivations.Select(n => narrowStudy.Derivations.Single(d => d.Name == n).Samples.ToArray())];
        var narrowViews = new EpochViews(options.Views, 100f, bandEdge: 25);
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 2 * options.Views.Count, TraceDrawingMode.Envelope);
        var samples = new float[2 * options.Views.Count * 3000];
        var expected = new byte[renderer.ImageByteCount];
        int narrow = 0, full = 0;
        for (int position = 0; position < mixed.Count; position += 7)
        {
            int epoch = mixed.EpochIndices[position];
            if (augmentation.Narrow("SC4001E0", epoch / BandwidthAugmentation.BlockEpochs))
            {
                narrowViews.Gather(narrowBands, epoch, samples);
                renderer.Render(samples, expected);
                Assert.True(expected.AsSpan().SequenceEqual(mixed.Image(position)), $"narrow-band epoch {epoch} differs");
                Assert.False(plain.Image(position).SequenceEqual(mixed.Image(position)), $"narrow-band epoch {epoch} equals the full band");
                narrow++;
            }
            else
            {
                Assert.True(plain.Image(position).SequenceEqual(mixed.Image(position)), $"full-band epoch {epoch} differs");
                full++;
            }
        }

        Assert.True(narrow > 0 && full > 0, $"{narrow} narrow-band and {full} full-band epochs checked");

        // Narrow-band hours without the card's edge are refused: the scorer would never present a study so.
        Assert.Throws<ArgumentException>(() => NightImageLoader.Load(pairs, options with { NarrowBand = null, NarrowBandAugmentation = augmentation }, new List<string>()));

        // The card carries the narrow band, and its loader options draw it again.
        ModelImageSpec spec = options.Spec(segments: 15);
        Assert.Equal(25, spec.NarrowBand);
        Assert.Equal(25, NightImageOptions.From(spec, false, 1).NarrowBand);
    }

    [Fact]
    public void Filter_hours_are_drawn_as_the_scorer_draws_a_candidate_through_that_low_pass()
    {
        IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(Folder, new List<string>());
        TraceView[] extra = [.. NightImageOptions.DefaultExtraViews, NightImageOptions.MuscleView];
        var options = new NightImageOptions { MaxParallelism = 1, ExtraViews = extra, NarrowBand = 25, FilterEdges = [20] };
        NightImages plain = Assert.Single(NightImageLoader.Load(pairs, options, new List<string>())).Images;

        // A seed whose draws give the sample's hours all three presentations (the draws themselves are tested apart).
        int[] hours = [.. plain.EpochIndices.ToArray().Select(e => e / BandwidthAugmentation.BlockEpochs).Distinct()];
        NarrowBandAugmentation augmentation = Enumerable.Range(1, 200).Select(seed => new NarrowBandAugmentation((ulong)seed, 0.3, 0.4))
            .First(a => hours.Any(h => a.Filter("SC4001E0", h, 1) == 0) && hours.Any(h => a.Narrow("SC4001E0", h)) && hours.Any(h => a.Filter("SC4001E0", h, 1) < 0 && !a.Narrow("SC4001E0", h)));
        NightImages mixed = Assert.Single(NightImageLoader.Load(pairs, options with { NarrowBandAugmentation = augmentation }, new List<string>())).Images;

        // The scorer's candidate: the full band (conditioned up to 45 Hz) through a zero-phase order-2 low-pass at 20 Hz,
        // the views starting at or above 20 Hz (the muscle view) silent.
        using EdfReader reader = EdfReader.Open(Path.Combine(Folder, "SC4001E0-PSG.edf"));
        ConditionedStudy study = new StudyConditioner(ConditioningOptions.Default with { LowPass = 45 }).Condition(reader);
        float[][] lowPassed = [.. NightImageOptions.Derivations.Select(n =>
        {
            float[] samples = study.Derivations.Single(d => d.Name == n).Samples.ToArray();
            new ZeroPhaseFilter([Biquad.LowPass(100, 20)]).Apply(samples);
            return samples;
        })];
        var views = new EpochViews(options.Views, 100f, bandEdge: 20);
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 2 * options.Views.Count, TraceDrawingMode.Envelope);
        var samples = new float[2 * options.Views.Count * 3000];
        var expected = new byte[renderer.ImageByteCount];
        int filtered = 0, narrow = 0, full = 0;
        for (int position = 0; position < mixed.Count; position += 7)
        {
            int epoch = mixed.EpochIndices[position], hour = epoch / BandwidthAugmentation.BlockEpochs;
            if (augmentation.Filter("SC4001E0", hour, 1) == 0)
            {
                views.Gather(lowPassed, epoch, samples);
                renderer.Render(samples, expected);
                Assert.True(expected.AsSpan().SequenceEqual(mixed.Image(position)), $"filtered epoch {epoch} differs");
                filtered++;
            }
            else if (augmentation.Narrow("SC4001E0", hour))
            {
                Assert.False(plain.Image(position).SequenceEqual(mixed.Image(position)), $"narrow-band epoch {epoch} equals the full band");
                narrow++;
            }
            else
            {
                Assert.True(plain.Image(position).SequenceEqual(mixed.Image(position)), $"full-band epoch {epoch} differs");
                full++;
            }
        }

        Assert.True(filtered > 0 && narrow > 0 && full > 0, $"{filtered} filtered, {narrow} narrow-band and {full} full-band epochs checked");
        Assert.Equal([20.0], NightImageOptions.From(options.Spec(segments: 15), false, 1).FilterEdges!);
    }

    [Fact]
    public void An_unscored_study_is_normalised_over_its_lights_period_whatever_is_recorded_outside_it()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscoring-unscored-").FullName;
        try
        {
            // The sample with lights off at 30 min and on at 100 min, once as recorded and once with
            // everything outside that period 8× as loud (a recorder left running while the patient
            // was wired up): the quiet hours' lower quartile would fall otherwise.
            string quiet = WithLights(Path.Combine(folder, "quiet.edf"), 1800, 6000, outsideGain: 1);
            string loud = WithLights(Path.Combine(folder, "loud.edf"), 1800, 6000, outsideGain: 8);
            var options = new NightImageOptions { MaxParallelism = 1, AmplitudeNormalisation = NightImageOptions.DefaultAmplitudeNormalisation with { OverRecording = true } };

            NightImages a = NightImageLoader.LoadUnscored(quiet, options);
            NightImages b = NightImageLoader.LoadUnscored(loud, options);

            Assert.Equal(Enumerable.Range(60, 140), a.EpochIndices.ToArray()); // the lights period's epochs only
            Assert.Equal(a.EpochIndices.ToArray(), b.EpochIndices.ToArray());
            // The first and last epoch of the period see the loud hours through the conditioning's filters.
            int[] differ = [.. Enumerable.Range(1, a.Count - 2).Where(p => !a.Image(p).SequenceEqual(b.Image(p))).Select(p => a.EpochIndices[p])];
            Assert.True(differ.Length == 0, "the loud hours outside the lights period moved epochs " + string.Join(", ", differ));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static string WithLights(string path, double off, double on, double outsideGain)
        {
            using EdfReader sample = EdfReader.Open(MontageStudies.Sample);
            var writer = new EdfWriter { StartTime = sample.Header.StartTime, RecordDuration = 30 };
            foreach (string label in new[] { "EEG Fpz-Cz", "EEG Pz-Oz" })
            {
                float[] samples = sample.ReadPhysical(sample.Signals.First(s => s.Label == label).Index);

                // One physical range for both files (room for the loud one), so the lights period's samples are stored alike.
                double range = Math.Ceiling(samples.Max(v => Math.Abs(v)) * 8 * 1.01) + 1;
                for (int i = 0; i < samples.Length; i++)
                {
                    double t = i / 100.0;
                    samples[i] *= (float)(t < off || t >= on ? outsideGain : 1);
                }

                writer.AddSignal(new EdfSignalSpec(label, -range, range, 3000) { PhysicalDimension = "uV" }, samples);
            }

            writer.AddAnnotation(new EdfAnnotation(off, null, "Lights off"));
            writer.AddAnnotation(new EdfAnnotation(on, null, "Lights on"));
            writer.Write(path);
            return path;
        }
    }

    [Fact]
    public void An_unscored_study_that_lacks_the_band_is_drawn_narrow_band_for_a_model_that_has_one_as_the_scorer_draws_it()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscoring-unscored-").FullName;
        try
        {
            // The same samples, once labelled as recorded through a 35-Hz low-pass (the AASM band) and once without.
            string filtered = MontageStudies.Prefiltered(Path.Combine(folder, "lp35.edf"), "HP:0.3Hz LP:35Hz");
            string unlabelled = MontageStudies.Prefiltered(Path.Combine(folder, "full.edf"), "");
            TraceView[] extra = [.. NightImageOptions.DefaultExtraViews, NightImageOptions.MuscleView];
            var options = new NightImageOptions { MaxParallelism = 1, ExtraViews = extra, NarrowBand = 25 };

            NightImages narrow = NightImageLoader.LoadUnscored(filtered, options);
            NightImages full = NightImageLoader.LoadUnscored(unlabelled, options);
            NightImages withoutNarrowBand = NightImageLoader.LoadUnscored(filtered, options with { NarrowBand = null });

            Assert.Equal(Expected(filtered, 25, 25, options, narrow.EpochIndices.ToArray()), Images(narrow));
            Assert.Equal(Expected(unlabelled, 45, null, options, full.EpochIndices.ToArray()), Images(full));
            // A model without a narrow band reads the filtered study at its own band, as the scorer does.
            Assert.Equal(Images(full), Images(withoutNarrowBand));
            Assert.NotEqual(Images(full), Images(narrow));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static byte[][] Images(NightImages night) => [.. Enumerable.Range(0, night.Count).Where(p => p % 17 == 0).Select(p => night.Image(p).ToArray())];

        // Conditioned at the low-pass and drawn with the views above the band edge silent, independently of the loader.
        static byte[][] Expected(string path, double lowPass, double? bandEdge, NightImageOptions options, IReadOnlyList<int> epochs)
        {
            using EdfReader reader = EdfReader.Open(path);
            ConditionedStudy study = new StudyConditioner(ConditioningOptions.Default with { LowPass = lowPass }).Condition(reader);
            float[][] bands = [.. NightImageOptions.Derivations.Select(n => study.Derivations.Single(d => d.Name == n).Samples.ToArray())];
            var views = new EpochViews(options.Views, 100f, bandEdge);
            using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 2 * options.Views.Count, TraceDrawingMode.Envelope);
            var samples = new float[2 * options.Views.Count * 3000];
            return [.. Enumerable.Range(0, epochs.Count).Where(p => p % 17 == 0).Select(p =>
            {
                var image = new byte[renderer.ImageByteCount];
                views.Gather(bands, epochs[p], samples);
                renderer.Render(samples, image);
                return image;
            })];
        }
    }

    [Fact]
    public void UnreadablePsg_IsATrainingDataException_NamingTheFile()
    {
        string folder = Directory.CreateTempSubdirectory("sleepscore-badedf-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "SC4001E0-PSG.edf"), "not an EDF header");
            File.Copy(Path.Combine(Folder, "SC4001EC-Hypnogram.edf"), Path.Combine(folder, "SC4001EC-Hypnogram.edf"));
            IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(folder, new List<string>());
            var e = Assert.Throws<TrainingDataException>(() => NightImageLoader.Load(pairs, new NightImageOptions(), new List<string>()));
            Assert.StartsWith("SC4001E0-PSG.edf: ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static LoadedNight LoadSample(bool wholeRecording)
    {
        var warnings = new List<string>();
        IReadOnlyList<PsgPair> pairs = PsgFolder.FindPairs(Folder, warnings);
        return Assert.Single(NightImageLoader.Load(pairs, new NightImageOptions { WholeRecording = wholeRecording, MaxParallelism = 1, ExtraViews = [] }, warnings));
    }

    /// <summary>The share of pixels two nights' images hold alike.</summary>
    private static double SamePixels(NightImages a, NightImages b)
    {
        Assert.Equal(a.Count, b.Count);
        long same = 0, total = 0;
        for (int p = 0; p < a.Count; p++)
        {
            ReadOnlySpan<byte> x = a.Image(p), y = b.Image(p);
            for (int i = 0; i < x.Length; i++)
            {
                same += x[i] == y[i] ? 1 : 0;
            }

            total += x.Length;
        }

        return (double)same / total;
    }

    /// <summary>The hypnogram's stages with anything other than W/N1/N2/N3/R as Unscored (the sample has no gaps or flat epochs).</summary>
    private static SleepStage[] ScoredStages() =>
        [.. HypnogramEdf.Read(Path.Combine(Folder, "SC4001EC-Hypnogram.edf"), recordingSeconds: 255 * 30).Hypnogram.Stages.Select(s => s <= SleepStage.R ? s : SleepStage.Unscored)];

    private static bool IsSleep(SleepStage stage) => stage is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R;
}
