namespace SleepScoring.Model.Tests;

public sealed class ModelLocatorTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sleepscoring-locator-").FullName;

    [Fact]
    public void An_explicit_path_wins_and_is_made_absolute_against_the_given_folder()
    {
        string found = ModelLocator.Find("my-model", [root], relativeTo: root, environment: _ => "/elsewhere");

        Assert.Equal(Path.Combine(root, "my-model"), found);
    }

    [Fact]
    public void The_environment_variable_comes_before_the_search()
    {
        WriteCard(Path.Combine(root, "models"));

        string found = ModelLocator.Find(null, [root], relativeTo: root, environment: name => name == "SLEEPSCORING_MODEL" ? "/opt/site-model" : null);

        Assert.Equal("/opt/site-model", found);
    }

    [Fact]
    public void The_search_walks_up_from_each_start_to_a_models_folder_with_a_card()
    {
        string work = Directory.CreateDirectory(Path.Combine(root, "a", "b", "c")).FullName;
        string tool = Directory.CreateDirectory(Path.Combine(root, "tool")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "a", "models")); // no card: not a model folder
        WriteCard(Path.Combine(tool, "models"));

        string found = ModelLocator.Find(null, [work, tool], relativeTo: root, environment: _ => null);

        Assert.Equal(Path.Combine(tool, "models"), found);
    }

    [Fact]
    public void The_first_start_that_reaches_a_card_wins()
    {
        string work = Directory.CreateDirectory(Path.Combine(root, "study", "night1")).FullName;
        WriteCard(Path.Combine(root, "study", "models"));
        WriteCard(Path.Combine(root, "tool", "models"));

        string found = ModelLocator.Find(null, [work, Path.Combine(root, "tool")], relativeTo: root, environment: _ => null);

        Assert.Equal(Path.Combine(root, "study", "models"), found);
    }

    [Fact]
    public void Nothing_found_names_models_under_the_first_start()
    {
        string work = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;

        string found = ModelLocator.Find(null, [work], relativeTo: root, environment: _ => "");

        Assert.Equal(Path.Combine(work, "models"), found);
    }

    private static void WriteCard(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelCard.FileName), "{}");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
