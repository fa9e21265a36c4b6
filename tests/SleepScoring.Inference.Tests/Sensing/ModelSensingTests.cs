using SleepScoring.Inference.Model;
using SleepScoring.Inference.Sensing;
using SleepScoring.Model;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class ModelSensingTests
{
    [Fact]
    public void The_card_section_reads_back_as_the_options_it_was_written_from()
    {
        var options = new SensingOptions
        {
            Gains = [0.5f, 2f],
            PerSlotGains = false,
            Filters = [SensingFilter.Parse("lp:25"), SensingFilter.Parse("0.5-30")],
            Margin = 0.02,
            GainMargin = 0.3,
            FilterMargin = 0.4,
            NightHours = 5,
            FilterThreshold = 1.1,
            FastActivityLimit = 0.31,
            KeepLoneDerivation = true,
            Objective = new SensingObjective(StagePrior.SleepPeriod, 0.25),
        };

        ModelCard card = Card(ModelSensing.Section(options, oodThreshold: 1.25, oodCalibration: "test"));

        SensingOptions read = ModelSensing.Options(card);
        Assert.Equal(options.Gains, read.Gains);
        Assert.Equal(options.PerSlotGains, read.PerSlotGains);
        Assert.Equal(options.Filters, read.Filters);
        Assert.Equal(options.Margin, read.Margin);
        Assert.Equal((0.3, 0.4, 5.0, 1.1), (read.GainMargin, read.FilterMargin, read.NightHours, read.FilterThreshold));
        Assert.Equal(0.31, read.FastActivityLimit);
        Assert.Equal(0.25, read.Objective.PriorWeight);
        Assert.True(read.KeepLoneDerivation);
        Assert.Equal(1.25, ModelSensing.OutOfDistributionThreshold(card));
    }

    [Fact]
    public void A_card_without_the_section_uses_the_defaults_and_sets_no_limit()
    {
        ModelCard card = Card(null);

        Assert.Equal(new SensingOptions().Gains, ModelSensing.Options(card).Gains);
        Assert.Null(ModelSensing.OutOfDistributionThreshold(card));
    }

    [Fact]
    public void The_filters_are_searched_above_the_cards_filter_threshold_not_its_out_of_distribution_limit()
    {
        // The review limit is calibrated on clean nights (+0.2 nats); a one-lead night exceeds it and must not be filtered for that.
        // 1.5 nats: above every clean validation night with one or both leads (≤ 1.45), below EMG-like noise (1.60–1.76).
        Assert.Equal(1.5, ModelSensing.Options(Card(new { ood_threshold = 0.75 })).FilterThreshold);
        Assert.Equal(1.25, ModelSensing.Options(Card(new { ood_threshold = 0.75, filter_threshold = 1.25 })).FilterThreshold);
        Assert.Equal(1.5, ModelSensing.Options(Card(null)).FilterThreshold);
    }

    [Fact]
    public void The_fast_activity_limit_is_the_cards_or_the_default_and_a_null_one_leaves_the_filters_to_the_objective()
    {
        Assert.Equal(0.4, ModelSensing.Options(Card(new { fast_activity_limit = 0.4 })).FastActivityLimit);
        // 0.2: between the validation nights clean (≤ 0.123) and with EMG-like noise (≥ 0.37).
        Assert.Equal(0.2, ModelSensing.Options(Card(new { filter_threshold = 1.25 })).FastActivityLimit);
        Assert.Equal(0.2, ModelSensing.Options(Card(null)).FastActivityLimit);
        Assert.Null(ModelSensing.Options(Card(new { fast_activity_limit = (double?)null })).FastActivityLimit);

        // Written as null, read back as null (not the default).
        Assert.Null(ModelSensing.Options(Card(ModelSensing.Section(new SensingOptions { FastActivityLimit = null }))).FastActivityLimit);
    }

    [Fact]
    public void The_montage_check_is_on_unless_the_card_turns_it_off()
    {
        Assert.True(ModelSensing.Options(Card(null)).CheckMontage);
        Assert.True(ModelSensing.Options(Card(new { margin = 0.1 })).CheckMontage);
        Assert.False(ModelSensing.Options(Card(new { montage_check = false })).CheckMontage);
        Assert.False(ModelSensing.Options(Card(ModelSensing.Section(new SensingOptions { CheckMontage = false }))).CheckMontage);
    }

    [Fact]
    public void A_model_trained_with_derivation_dropout_keeps_a_lone_derivation_in_its_slot_unless_the_section_says_otherwise()
    {
        ModelCard dropout = CardWithSection.Of("training", new { derivation_dropout = new { encoder = 0.2, sequence = 0.5 } });
        ModelCard none = CardWithSection.Of("training", new { derivation_dropout = new { encoder = 0.0, sequence = 0.0 } });

        Assert.True(ModelSensing.Options(dropout).KeepLoneDerivation);
        Assert.False(ModelSensing.Options(none).KeepLoneDerivation);
        Assert.False(ModelSensing.Options(Card(null)).KeepLoneDerivation); // cards written before the key: the older model
        Assert.False(ModelSensing.Options(Card(new { keep_lone_derivation = false })).KeepLoneDerivation);
    }

    [Fact]
    public void A_malformed_section_names_itself()
    {
        ModelCard card = Card(new { filters = new[] { "notch" } });

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelSensing.Options(card));
        Assert.Contains("sensing", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("montage_check", "yes", "'montage_check' is \"yes\", not true or false")]
    [InlineData("fast_activity_limit", "high", "'fast_activity_limit' is \"high\", not a share ≥ 0 or null")]
    [InlineData("fast_activity_limit", -0.1, "'fast_activity_limit' is -0.1, not a share ≥ 0 or null")]
    public void A_malformed_gate_setting_is_named_with_its_value(string key, object value, string message)
    {
        ModelCard card = Card(new Dictionary<string, object> { [key] = value });

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelSensing.Options(card));
        Assert.Equal("model card: sensing: " + message, e.Message);
    }

    private static ModelCard Card(object? section) => CardWithSection.Of(ModelSensing.SectionName, section);
}
