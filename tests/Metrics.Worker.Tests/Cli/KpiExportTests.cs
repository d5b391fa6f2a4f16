using System.Globalization;
using Metrics.Core.Kpis;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Cli;

namespace Metrics.Worker.Tests.Cli;

public sealed class KpiExportTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task WriteCsvAsync_AwkwardDepartmentNames_QuotedPerRfc4180()
    {
        KpiPoint[] points =
        [
            new(new DateOnly(2026, 3, 2), null, "headcount", "day", 12),
            new(new DateOnly(2026, 3, 2), "R&D, \"Labs\"", "ai_usage_rate", "7d", 0.5),
            new(new DateOnly(2026, 3, 2), "Ops\nNorth", "ai_usage_rate", "28d", 0.25),
            new(new DateOnly(2026, 3, 2), null, "ai_tool_users", "28d", 3, Tool: "github-copilot"),
        ];
        using var output = new StringWriter(CultureInfo.InvariantCulture);

        await KpiExport.WriteCsvAsync(points.ToAsyncEnumerable(), output, CancellationToken.None);

        Assert.Equal(
            "date,department,kpi,window,value,tool\r\n" +
            "2026-03-02,,headcount,day,12,\r\n" +
            "2026-03-02,\"R&D, \"\"Labs\"\"\",ai_usage_rate,7d,0.5,\r\n" +
            "2026-03-02,\"Ops\nNorth\",ai_usage_rate,28d,0.25,\r\n" +
            "2026-03-02,,ai_tool_users,28d,3,github-copilot\r\n",
            output.ToString());
    }

    [Fact]
    public void ToJsonLine_PerToolPoint_AddsTheToolAndLeavesContractLinesAsTheSpecWritesThem()
    {
        var date = new DateOnly(2026, 3, 2);

        Assert.Equal("""{"date":"2026-03-02","department":"Sales","kpi":"ai_tool_usage_rate","window":"7d","tool":"word","value":0.25}""",
            KpiExport.ToJsonLine(new KpiPoint(date, "Sales", "ai_tool_usage_rate", "7d", 0.25, Tool: "word")));
        Assert.Equal("""{"date":"2026-03-02","department":null,"kpi":"ai_usage_rate","window":"7d","value":0.42}""",
            KpiExport.ToJsonLine(new KpiPoint(date, null, "ai_usage_rate", "7d", 0.42)));
    }

    [Fact]
    public async Task Kpis_FormatCsv_SameRowsAsJsonlAfterAHeader()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var import = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}");
        Assert.True(import.ExitCode == 0, import.Error);
        string[] range = ["--from", $"{GoldenCompany.DayA:yyyy-MM-dd}", "--to", $"{GoldenCompany.DayA:yyyy-MM-dd}"];

        var csv = await cli.RunAsync(["kpis", .. range, "--format", "csv"]);
        var jsonl = await cli.RunAsync(["kpis", .. range, "--format", "jsonl"]);

        Assert.True(csv.ExitCode == 0, csv.Error);
        var rows = csv.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("date,department,kpi,window,value,tool", rows[0]);
        Assert.Equal(jsonl.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, rows.Length - 1);
        Assert.Contains($"{GoldenCompany.DayA:yyyy-MM-dd},,headcount,day,12,", rows);
        Assert.Contains($"{GoldenCompany.DayA:yyyy-MM-dd},Engineering,ai_tool_users,28d,1,github-copilot", rows);
    }
}
