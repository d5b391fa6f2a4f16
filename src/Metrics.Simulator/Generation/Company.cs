using Metrics.Core.Directory;

namespace Metrics.Simulator.Generation;

/// <summary>A department of the story: how frontline-heavy it is and how keen on AI.</summary>
public sealed record Department(string Name, bool FrontlineHeavy, double AiAffinity, string SpecialistTitle, string FrontlineTitle);

/// <summary>One stretch of a person's employment: department, level and title from a day (inclusive) to a day (exclusive).</summary>
public sealed record Stint(Department Department, Level Level, string Title, DateOnly From, DateOnly? To)
{
    public bool Covers(DateOnly day) => day >= From && (To is null || day < To.Value);
}

/// <summary>An employee with every identity the vendors know them by.</summary>
public sealed class Employee
{
    public required int Index { get; init; }

    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    /// <summary>The person key: the lowercased primary e-mail.</summary>
    public required string Email { get; init; }

    public required string EmployeeId { get; init; }

    public required string GraphId { get; init; }

    public required string JiraAccountId { get; init; }

    /// <summary>Whether the Jira profile hides the e-mail, so Jira events carry <c>jira:&lt;accountId&gt;</c>.</summary>
    public bool JiraEmailHidden { get; set; }

    public List<Stint> Stints { get; } = [];

    public Employee? Manager { get; set; }

    public string DisplayName => FirstName + " " + LastName;

    public Stint? On(DateOnly day) => Stints.FirstOrDefault(s => s.Covers(day));

    public DateOnly Start => Stints[0].From;

    public DateOnly? End => Stints[^1].To;

    public Stint Last => Stints[^1];
}

/// <summary>The people of the company and the calendar of the story.</summary>
public sealed class Company
{
    public required IReadOnlyList<Department> Departments { get; init; }

    public required IReadOnlyList<Employee> Employees { get; init; }

    public required Story Story { get; init; }

    /// <summary>The department the reorg creates.</summary>
    public required Department ReorgDepartment { get; init; }

    public required Department SmallDepartment { get; init; }

    public required DateOnly ReorgDay { get; init; }

    public IEnumerable<Employee> InScope(DateOnly day) => Employees.Where(e => e.On(day) is not null);
}
