using Metrics.Sources.Lms;
using Microsoft.Extensions.Configuration;

namespace Metrics.Sources.Tests.Lms;

public sealed class LmsOptionsBindingTests
{
    [Fact]
    public void Bind_CourseIdsKeyedByIri_KeepsTheWholeActivityId()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:Lms:CourseIds:0:ActivityId"] = "https://lms.example.com/cmi5/course-7f3a",
            ["Sources:Lms:CourseIds:0:CourseId"] = "ai-basics",
        }).Build();

        var options = configuration.GetSection(LmsOptions.SectionName).Get<LmsOptions>()!;

        var mapping = Assert.Single(options.CourseIds);
        Assert.Equal(("https://lms.example.com/cmi5/course-7f3a", "ai-basics"), (mapping.ActivityId, mapping.CourseId));
    }

    [Fact]
    public void Validate_CourseIdWithoutActivity_NamesTheEntry()
    {
        var options = new LmsOptions
        {
            Enabled = true,
            BaseUrl = new Uri("http://127.0.0.1:1/xapi"),
            Username = "u",
            Password = "p",
            CourseActivityPrefixes = ["https://lms/courses/"],
            CourseIds = [new CourseIdMapping { CourseId = "ai-basics" }],
        };

        var result = new LmsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Sources:Lms:CourseIds:0 needs both ActivityId and CourseId", result.FailureMessage, StringComparison.Ordinal);
    }
}
