using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Tests.Storage;

public sealed class DatabaseOptionsTests
{
    [Fact]
    public void Default_IsSqliteWithoutConnectionString() =>
        Assert.Equal((DatabaseProvider.Sqlite, null, null), (new DatabaseOptions().Provider, new DatabaseOptions().ConnectionString, new DatabaseOptions().Problem()));

    [Fact]
    public void PostgreSql_WithoutConnectionString_NamesTheSetting() =>
        Assert.Equal(
            "Database:ConnectionString is required when Database:Provider is PostgreSql",
            new DatabaseOptions { Provider = DatabaseProvider.PostgreSql }.Problem());

    [Fact]
    public void Sqlite_WithConnectionString_SaysWhereSqliteKeepsItsFile() =>
        Assert.StartsWith("Database:ConnectionString is for PostgreSql only", new DatabaseOptions { ConnectionString = "Host=db" }.Problem(), StringComparison.Ordinal);
}
