using System.Reflection;

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

using SleepScoring.Api.Storage;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>
/// The stores are reached through their interfaces only: every store of <c>Storage/</c> has one, and
/// no service type or endpoint outside <c>Storage/</c> asks for a concrete store (so a second
/// provider or a test double replaces a store in one registration).
/// </summary>
public sealed class StoreInterfaceTests
{
    private static readonly Assembly Api = typeof(IStudyStore).Assembly;

    private static readonly string StorageNamespace = typeof(IStudyStore).Namespace!;

    /// <summary>The public classes of the Storage namespace named as stores (records such as <c>ResultToStore</c> are data, not stores).</summary>
    private static Type[] ConcreteStores => [.. Api.GetExportedTypes()
        .Where(t => t.IsClass && t.Namespace == StorageNamespace && t.GetMethod("<Clone>$") is null && (t.Name.EndsWith("Store", StringComparison.Ordinal) || t.Name.EndsWith("Outbox", StringComparison.Ordinal)))];

    [Fact]
    public void EveryStore_ImplementsAnInterfaceOfStorage()
    {
        string[] without = [.. ConcreteStores
            .Where(t => !t.GetInterfaces().Any(i => i.Namespace == StorageNamespace))
            .Select(t => t.Name)];

        Assert.True(without.Length == 0, "stores without an interface in Storage: " + string.Join(", ", without));
    }

    [Fact]
    public void TheGuard_KnowsTheStores()
    {
        string[] names = [.. ConcreteStores.Select(t => t.Name)];

        Assert.Superset(
            new HashSet<string> { "StudyStore", "JobStore", "ResultStore", "CorrectionStore", "SignOffStore", "ApiKeyStore", "IdempotencyStore", "CallbackOutbox", "SignInLinkStore" },
            names.ToHashSet());
    }

    [Fact]
    public void NoTypeOutsideStorage_TakesAConcreteStoreInItsConstructor()
    {
        HashSet<Type> stores = [.. ConcreteStores];
        string[] offending = [.. Api.GetTypes()
            .Where(t => t.Namespace is not { } ns || !(ns == StorageNamespace || ns.StartsWith(StorageNamespace + ".", StringComparison.Ordinal)))
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .SelectMany(c => c.GetParameters())
                .Where(p => stores.Contains(p.ParameterType))
                .Select(p => $"{t.FullName}({p.ParameterType.Name} {p.Name})"))];

        Assert.True(offending.Length == 0, "concrete stores taken outside Storage (ask for the interface):\n" + string.Join("\n", offending));
    }

    [Fact]
    public void NoEndpoint_TakesAConcreteStore()
    {
        using var factory = new ApiFactory(withModel: false);
        HashSet<Type> stores = [.. ConcreteStores];
        MethodInfo[] handlers = [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<MethodInfo>())
            .OfType<MethodInfo>()];

        string[] offending = [.. handlers
            .SelectMany(m => m.GetParameters().Where(p => stores.Contains(p.ParameterType)).Select(p => $"{m.DeclaringType?.Name}.{m.Name}({p.ParameterType.Name} {p.Name})"))];

        // The guard sees the handlers' parameters: some handler takes a store (through its interface).
        Assert.Contains(handlers, m => m.GetParameters().Any(p => p.ParameterType == typeof(IStudyStore)));
        Assert.True(offending.Length == 0, "endpoints taking a concrete store (ask for the interface):\n" + string.Join("\n", offending));
    }
}
