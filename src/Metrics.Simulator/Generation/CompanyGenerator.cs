using Metrics.Core.Directory;

namespace Metrics.Simulator.Generation;

/// <summary>Builds the people and their effective-dated history: hires, leavers, promotions, the reorg and the small department.</summary>
public static class CompanyGenerator
{
    private static readonly Department[] Regular =
    [
        new("Sales", true, 0.45, "Sales Engineer", "Sales Associate"),
        new("Customer Service", true, 0.6, "Support Specialist", "Service Agent"),
        new("Engineering", false, 0.85, "Software Engineer", "Test Technician"),
        new("Operations", true, 0.3, "Process Engineer", "Machine Operator"),
        new("Finance", false, 0.35, "Financial Analyst", "Accounts Clerk"),
        new("Marketing", false, 0.7, "Marketing Specialist", "Marketing Assistant"),
        new("Human Resources", false, 0.3, "HR Specialist", "HR Assistant"),
        new("Logistics", true, 0.25, "Logistics Analyst", "Warehouse Associate"),
        new("Product", false, 0.75, "Product Designer", "Product Assistant"),
        new("IT", false, 0.8, "Systems Architect", "IT Support Technician"),
        new("Procurement", false, 0.3, "Procurement Analyst", "Purchasing Clerk"),
    ];

    /// <summary>Always present and always below the minimum group size.</summary>
    public static readonly Department Small = new("Legal", false, 0.2, "Legal Counsel", "Legal Assistant");

    public static readonly Department DataAndAnalytics = new("Data & Analytics", false, 0.9, "Data Analyst", "Data Assistant");

    private static readonly string[] FirstNames =
    [
        "Ana", "Ben", "Carla", "David", "Elif", "Felix", "Greta", "Hannes", "Ines", "Jonas", "Katrin", "Lukas", "Mara", "Niklas",
        "Olga", "Paul", "Quirin", "Rosa", "Stefan", "Tanja", "Ulrich", "Vera", "Wim", "Xenia", "Yusuf", "Zoe", "Amir", "Bianca",
        "Chen", "Dana", "Emil", "Fatma", "Georg", "Hana", "Igor", "Julia", "Karim", "Lena", "Milan", "Nora", "Oskar", "Petra",
        "Rafael", "Sofia", "Tobias", "Ulla", "Viktor", "Wanda", "Yara", "Zeynep",
    ];

    private static readonly string[] LastNames =
    [
        "Berg", "Novak", "Schmidt", "Yilmaz", "Fischer", "Weber", "Costa", "Nowak", "Meyer", "Wagner", "Becker", "Hoffmann",
        "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Kaya", "Lange", "Vogel", "Jung", "Hahn", "Keller",
        "Roth", "Frank", "Sommer", "Kraus", "Lorenz", "Martin", "Garcia", "Rossi", "Dubois", "Silva", "Kowalski", "Jensen",
        "Larsen", "Horvat", "Popescu",
    ];

    public static Company Generate(SimulatorOptions options, Story story)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(story);
        var rng = new Rng(options.Seed, "company");
        var departments = Regular.Take(options.Departments - 1).Append(Small).ToArray();
        var sizes = Sizes(options, departments);
        var employees = new List<Employee>();
        var usedEmails = new HashSet<string>(StringComparer.Ordinal);
        var executives = Math.Max(2, (int)Math.Round(options.Employees * 0.02));
        var regularCount = departments.Length - 1;

        Employee NewEmployee()
        {
            var first = rng.Pick(FirstNames);
            var last = rng.Pick(LastNames);
            var local = (first + "." + last).ToLowerInvariant();
            var email = local + "@" + options.Domain;
            for (var n = 2; !usedEmails.Add(email); n++)
            {
                email = local + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@" + options.Domain;
            }

            var index = employees.Count;
            var e = new Employee
            {
                Index = index,
                FirstName = first,
                LastName = last,
                Email = email,
                EmployeeId = "E" + (10001 + index).ToString(System.Globalization.CultureInfo.InvariantCulture),
                GraphId = rng.Uuid(),
                JiraAccountId = "712020:" + rng.Uuid(),
            };
            employees.Add(e);
            return e;
        }

        Employee? ceo = null;
        var heads = new Dictionary<Department, Employee>();
        for (var d = 0; d < departments.Length; d++)
        {
            var department = departments[d];
            var size = sizes[d];
            var isSmall = department == Small;
            var execHere = isSmall ? 0 : executives / regularCount + (d < executives % regularCount ? 1 : 0);
            var managers = Math.Max(1, (int)Math.Round(size / 10.0));
            var rest = size - execHere - managers;
            var frontline = isSmall ? 0 : (int)Math.Round(rest * (department.FrontlineHeavy ? 0.75 : 0.15));
            var specialists = rest - frontline;
            var members = new List<(Level Level, string Title)>();
            for (var i = 0; i < execHere; i++)
            {
                members.Add((Level.Executive, ceo is null && i == 0 && d == 0 ? "Chief Executive Officer" : "VP " + department.Name));
            }

            for (var i = 0; i < managers; i++)
            {
                members.Add((Level.Manager, i == 0 ? "Head of " + department.Name : "Team Lead " + department.Name));
            }

            members.AddRange(Enumerable.Repeat((Level.Specialist, department.SpecialistTitle), specialists));
            members.AddRange(Enumerable.Repeat((Level.Frontline, department.FrontlineTitle), frontline));
            Employee? head = null;
            var leads = new List<Employee>();
            foreach (var (level, title) in members)
            {
                var e = NewEmployee();
                e.Stints.Add(new Stint(department, level, title, story.First, null));
                if (title == "Chief Executive Officer")
                {
                    ceo = e;
                }
                else if (level == Level.Manager && head is null)
                {
                    head = e;
                    heads[department] = e;
                }
                else if (level == Level.Manager)
                {
                    leads.Add(e);
                }

                e.Manager = level switch
                {
                    Level.Executive => ceo == e ? null : ceo,
                    Level.Manager => head == e ? ceo : head,
                    _ => leads.Count > 0 ? leads[e.Index % leads.Count] : head,
                };
            }
        }

        // Late hires: they enter the directory (and every source) part-way through the story.
        var hires = Math.Max(2, options.Employees / 16);
        var regular = departments.Where(d => d != Small).ToArray();
        for (var i = 0; i < hires; i++)
        {
            var department = rng.Pick(regular);
            var level = department.FrontlineHeavy && rng.Chance(0.7) ? Level.Frontline : Level.Specialist;
            var e = NewEmployee();
            var from = story.DayAt(0.1 + 0.8 * rng.Next());
            e.Stints.Add(new Stint(department, level, level == Level.Frontline ? department.FrontlineTitle : department.SpecialistTitle, from, null));
            e.Manager = heads.GetValueOrDefault(department);
        }

        var reorgDay = story.DayAt(0.55);
        var sources = regular.OrderBy(d => d.FrontlineHeavy ? 1 : 0).Take(2).ToArray();
        var moved = new List<Employee>();
        foreach (var source in sources)
        {
            var candidates = employees.Where(e => e.Stints.Count == 1 && e.Last.Department == source && e.Last.Level == Level.Specialist && e.Start < reorgDay).ToList();
            var take = Math.Max(options.MinimumGroupSize / 2 + 1, (int)Math.Round(candidates.Count * 0.4));
            moved.AddRange(candidates.Take(Math.Min(take, candidates.Count)));
        }

        Employee? newHead = null;
        foreach (var e in moved)
        {
            var old = e.Last;
            e.Stints[^1] = old with { To = reorgDay };
            var level = newHead is null ? Level.Manager : Level.Specialist;
            var title = newHead is null ? "Head of " + DataAndAnalytics.Name : DataAndAnalytics.SpecialistTitle;
            e.Stints.Add(new Stint(DataAndAnalytics, level, title, reorgDay, null));
            e.Manager = newHead ?? ceo;
            newHead ??= e;
        }

        // Promotions from the frontline, and leavers; neither touches the small department, which must stay small but present.
        foreach (var e in employees.Where(e => e.Stints.Count == 1 && e.Last.Level == Level.Frontline && e.Last.Department != Small).ToList())
        {
            if (rng.Chance(0.03))
            {
                var day = story.DayAt(0.2 + 0.7 * rng.Next());
                if (day > e.Start)
                {
                    var old = e.Last;
                    e.Stints[^1] = old with { To = day };
                    e.Stints.Add(new Stint(old.Department, Level.Specialist, old.Department.SpecialistTitle, day, null));
                }
            }
        }

        foreach (var e in employees.Where(e => e.Last.Level is Level.Specialist or Level.Frontline && e.Last.Department != Small && e.Last.Department != DataAndAnalytics).ToList())
        {
            if (rng.Chance(0.05))
            {
                var day = story.DayAt(0.15 + 0.8 * rng.Next());
                if (day > e.Last.From)
                {
                    e.Stints[^1] = e.Last with { To = day };
                }
            }
        }

        // A few people keep their e-mail private in Jira: their tickets carry jira:<accountId>, which nothing links.
        foreach (var e in employees)
        {
            e.JiraEmailHidden = rng.Chance(0.03);
        }

        return new Company
        {
            Departments = [.. departments, DataAndAnalytics],
            Employees = employees,
            Story = story,
            ReorgDepartment = DataAndAnalytics,
            SmallDepartment = Small,
            ReorgDay = reorgDay,
        };
    }

    private static int[] Sizes(SimulatorOptions options, Department[] departments)
    {
        var small = Math.Max(2, options.MinimumGroupSize - 2);
        var remaining = options.Employees - small;
        var weights = departments.Select(d => d == Small ? 0 : d.FrontlineHeavy ? 1.6 : 1.0).ToArray();
        var total = weights.Sum();
        var exact = weights.Select(w => remaining * w / total).ToArray();
        var sizes = exact.Select(x => (int)Math.Floor(x)).ToArray();
        var left = remaining - sizes.Sum();
        foreach (var i in Enumerable.Range(0, sizes.Length).OrderByDescending(i => exact[i] - sizes[i]).ThenBy(i => i).Take(left))
        {
            sizes[i]++;
        }

        sizes[Array.IndexOf(departments, Small)] = small;
        return sizes;
    }
}
