namespace SleepScoring.Lab.Tests.Bench;

/// <summary>Tests that read the process's resident memory run while no other test runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement";
}
