using System.Globalization;
using System.Text;
using EtatMajor.Modules.Governance.Contracts;
using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.Modules.Governance.Features.Organisations;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using EtatMajor.SharedKernel.Identity;
using EtatMajor.SharedKernel.Law;
using EtatMajor.SharedKernel.Mediation;
using EtatMajor.SharedKernel.Validation;
using MediatR;

namespace EtatMajor.Modules.Governance.Features.Meetings;

/// <summary>
/// One month of an instance's cadence. `Compliant` (MEET-1) is given for an EMS only: true when a meeting was
/// held that month. The current month is `InProgress`: it is not reported non-compliant before it ends.
/// </summary>
internal sealed record MonthCadence(string Month, int MeetingsHeld, bool? Compliant, bool InProgress);

internal sealed record CadenceDto(Guid InstanceId, InstanceKind Kind, int Year, string RuleId, string LegalBasis,
    IReadOnlyList<MonthCadence> Months, IReadOnlyList<string>? NonCompliantMonths);

internal static class Months
{
    public static string Name(int year, int month) => $"{year:0000}-{month:00}";

    /// <summary>The held meetings of each month of [from, to), by month name.</summary>
    public static Dictionary<string, int> Count(IEnumerable<DateOnly> heldOn) =>
        heldOn.GroupBy(d => Name(d.Year, d.Month)).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The months of a period up to the current one (none for a period still to come).</summary>
    public static IEnumerable<(int Year, int Month, bool InProgress)> UpTo(DateOnly first, DateOnly endExclusive, DateOnly today)
    {
        for (var month = first; month < endExclusive && month <= today; month = month.AddMonths(1))
        {
            yield return (month.Year, month.Month, month.Year == today.Year && month.Month == today.Month);
        }
    }
}

internal sealed record GetCadence(Guid InstanceId, int? Year) : IQuery<CadenceDto>;

internal sealed class GetCadenceValidator : IValidator<GetCadence>
{
    public void Validate(GetCadence request, ValidationErrors errors)
    {
        if (request.Year is < 2000 or > 2100)
        {
            errors.Add("year", "a year between 2000 and 2100");
        }
    }
}

internal sealed class GetCadenceHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetCadence, CadenceDto>
{
    internal static class Sql
    {
        public const string HeldOn = "SELECT held_on FROM gov_meetings WHERE instance_id = @InstanceId AND held_on >= @From AND held_on < @To";
    }

    public async Task<CadenceDto> Handle(GetCadence request, CancellationToken cancellationToken)
    {
        var instance = await InstanceAccess.VisibleAsync(db, callers.Required, request.InstanceId, cancellationToken);
        var today = LegalCalendar.Today(clock);
        var year = request.Year ?? today.Year;
        var from = new DateOnly(year, 1, 1);
        var to = from.AddYears(1);
        var counts = Months.Count(await db.QueryAsync<DateOnly>(Sql.HeldOn, new { request.InstanceId, From = from, To = to }, cancellationToken));
        var ems = instance.KindValue == InstanceKind.Ems;
        var months = Months.UpTo(from, to, today).Select(m =>
        {
            var held = counts.GetValueOrDefault(Months.Name(m.Year, m.Month));
            return new MonthCadence(Months.Name(m.Year, m.Month), held, ems ? held > 0 : null, m.InProgress);
        }).ToList();
        return new CadenceDto(instance.Id, instance.KindValue, year, LegalRules.Meet1.Id, LegalRules.Meet1.LegalBasis, months,
            ems ? months.Where(m => m.Compliant == false && !m.InProgress).Select(m => m.Month).ToList() : null);
    }
}

/// <summary>MEET-2: for the DNO dashboard, per département, the EMS meetings held in a semester and the months without one.</summary>
internal sealed record DnoLine(string Departement, Guid InstanceId, string InstanceName, int MeetingsHeld, IReadOnlyList<string> MonthsWithoutMeeting);

internal sealed record DnoReportDto(string Semester, string RuleId, string LegalBasis, IReadOnlyList<DnoLine> Departements)
{
    public string ToCsv()
    {
        var csv = new StringBuilder("semester,departement,instanceId,instanceName,meetingsHeld,monthsWithoutMeeting\n");
        foreach (var line in Departements)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Semester},{line.Departement},{line.InstanceId},\"{line.InstanceName.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{line.MeetingsHeld},{string.Join(' ', line.MonthsWithoutMeeting)}\n");
        }
        return csv.ToString();
    }
}

internal sealed record GetDnoReport(string? Semester, string? Departement) : IQuery<DnoReportDto>;

internal sealed class GetDnoReportValidator : IValidator<GetDnoReport>
{
    public void Validate(GetDnoReport request, ValidationErrors errors)
    {
        if (!DnoSemester.TryParse(request.Semester, out _, out _))
        {
            errors.Add("semester", "YYYY-S1 (January to June) or YYYY-S2 (July to December)");
        }
        if (request.Departement is not null && !Domain.Territory.IsDepartement(request.Departement))
        {
            errors.Add("departement", Domain.Territory.DepartementHint);
        }
    }
}

internal static class DnoSemester
{
    public static bool TryParse(string? text, out DateOnly from, out DateOnly to)
    {
        from = to = default;
        if (text is not { Length: 7 } || text[4] != '-' || text[5] != 'S' || text[6] is not ('1' or '2')
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
        {
            return false;
        }
        from = new DateOnly(year, text[6] == '1' ? 1 : 7, 1);
        to = from.AddMonths(6);
        return true;
    }
}

internal sealed class GetDnoReportHandler(IDbSession db, ICallerAccessor callers, TimeProvider clock) : IRequestHandler<GetDnoReport, DnoReportDto>
{
    internal static class Sql
    {
        public const string Emss =
            $"SELECT id AS {nameof(EmsRow.Id)}, departement AS {nameof(EmsRow.Departement)}, name AS {nameof(EmsRow.Name)} FROM gov_instances " +
            "WHERE kind = 'ems' AND (@Departement IS NULL OR departement = @Departement) ORDER BY departement";
    }

    internal sealed class EmsRow
    {
        public Guid Id { get; init; }
        public string Departement { get; init; } = "";
        public string Name { get; init; } = "";
    }

    public async Task<DnoReportDto> Handle(GetDnoReport request, CancellationToken cancellationToken)
    {
        var caller = callers.Required;
        var departement = request.Departement;
        if (!caller.IsAdministrator)
        {
            // A préfet reports for its own département.
            var own = await db.QuerySingleOrDefaultAsync<OrganisationRow>(OrganisationSql.ById, new { Id = caller.OrganisationId }, cancellationToken);
            if (own?.Departement is null || (departement is not null && departement != own.Departement))
            {
                throw new ForbiddenException("A préfet reads the DNO report of its own département only.") { Rule = LegalRules.Meet2 };
            }
            departement = own.Departement;
        }
        DnoSemester.TryParse(request.Semester, out var from, out var to);
        var today = LegalCalendar.Today(clock);
        var lines = new List<DnoLine>();
        foreach (var ems in await db.QueryAsync<EmsRow>(Sql.Emss, new { Departement = departement }, cancellationToken))
        {
            var counts = Months.Count(await db.QueryAsync<DateOnly>(GetCadenceHandler.Sql.HeldOn, new { InstanceId = ems.Id, From = from, To = to }, cancellationToken));
            var without = Months.UpTo(from, to, today).Where(m => !m.InProgress && !counts.ContainsKey(Months.Name(m.Year, m.Month)))
                .Select(m => Months.Name(m.Year, m.Month)).ToList();
            lines.Add(new DnoLine(ems.Departement, ems.Id, ems.Name, counts.Values.Sum(), without));
        }
        return new DnoReportDto(request.Semester!, LegalRules.Meet2.Id, LegalRules.Meet2.LegalBasis, lines);
    }
}
