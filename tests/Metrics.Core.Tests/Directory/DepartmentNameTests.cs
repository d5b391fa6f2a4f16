using Metrics.Core.Directory;

namespace Metrics.Core.Tests.Directory;

public class DepartmentNameTests
{
    [Theory]
    [InlineData("R&D\\Lab", "backslash")]
    [InlineData("Lab\\", "backslash")]
    [InlineData("Sales\nEast", "control")]
    [InlineData("Sales\u0000", "control")]
    [InlineData("(small groups)", "reserved")]
    [InlineData(" (Small Groups) ", "reserved")]
    [InlineData("  ", "empty")]
    public void Check_NameTheStoreCannotCarry_ReturnsReason(string name, string reasonPart) =>
        Assert.Contains(reasonPart, DepartmentName.Check(name), StringComparison.Ordinal);

    [Theory]
    [InlineData("R&D")]
    [InlineData("Sales, East = West")]
    [InlineData("Forschung & Entwicklung (Süd)")]
    [InlineData("Data 📊")]
    [InlineData("small groups")]
    public void Check_LegalName_ReturnsNull(string name) => Assert.Null(DepartmentName.Check(name));

    [Fact]
    public void Check_LoneSurrogate_ReturnsReason() =>
        Assert.Contains("invalid text", DepartmentName.Check("Sales" + '\ud800'), StringComparison.Ordinal);

    [Fact]
    public void Validate_RecordWithBackslashDepartment_IsRejected() =>
        Assert.Contains("backslash", OrgDirectory.Validate(new DirectoryRecord("a", "R&D\\Lab", Level.Frontline, new DateOnly(2026, 1, 1), null), []), StringComparison.Ordinal);
}
