namespace EtatMajor.Modules.FollowUp.Features.Designate;

internal sealed record PersonInput(string? LastName, string? FirstNames, DateOnly? BirthDate);

internal sealed record JapOpinionInput(bool? Favourable, DateOnly? GivenOn, JudgeCapacity? JudgeCapacity, string? Reference);

/// <summary>DES-4: exactly these fields: no assessment, no grounds, no address, no free notes (any other field is refused with 400).</summary>
internal sealed record DesignateBody(PersonInput? Person, DateOnly? ReleasedOn, JapOpinionInput? JapOpinion, ObligationInput[]? Obligations);

/// <summary>
/// DES-1..4: a procureur co-chair designates a convicted person leaving detention, after the JAP's favourable
/// opinion, with the obligations to follow. Without a favourable opinion nothing about the person is stored.
/// </summary>
internal sealed record Designate(Guid InstanceId, DesignateBody Body) : ICommand<DesignationDto>, INotADisclosure;

internal sealed class DesignateValidator : IValidator<Designate>
{
    public const int MaxObligations = 30;

    public void Validate(Designate request, ValidationErrors errors)
    {
        var body = request.Body;
        if (body.Person is not { } person)
        {
            errors.Add("person", "is required: lastName, firstNames and birthDate");
        }
        else
        {
            errors.Required("person.lastName", person.LastName, 100);
            errors.Required("person.firstNames", person.FirstNames, 200);
            if (person.BirthDate is not { } birth || birth.Year < 1900)
            {
                errors.Add("person.birthDate", "is required (a date, such as 1990-04-12)");
            }
        }
        if (body.ReleasedOn is null)
        {
            errors.Add("releasedOn", "is required: the date the person leaves (or left) detention (DES-3)");
        }
        if (body.JapOpinion is { Favourable: true } opinion)
        {
            if (opinion.GivenOn is null)
            {
                errors.Add("japOpinion.givenOn", "is required: the date of the judge's opinion");
            }
            if (opinion.JudgeCapacity is null)
            {
                errors.Add("japOpinion.judgeCapacity", "is required: jap or juge-des-enfants");
            }
            errors.Required("japOpinion.reference", opinion.Reference, 60);
        }
        var obligations = body.Obligations ?? [];
        if (obligations.Length > MaxObligations)
        {
            errors.Add("obligations", $"at most {MaxObligations}");
        }
        for (var i = 0; i < Math.Min(obligations.Length, MaxObligations); i++)
        {
            if (obligations[i] is null)
            {
                errors.Add($"obligations[{i}]", "is required");
                continue;
            }
            obligations[i].Validate($"obligations[{i}]", errors);
        }
    }
}

internal sealed class DesignateHandler(DesignationAccess access, IDbSession db, FollowUpOptions options) : IRequestHandler<Designate, DesignationDto>
{
    internal static class Sql
    {
        public const string OpenWithKey = "SELECT COUNT(*) FROM fu_designations WHERE instance_id = @InstanceId AND person_key = @PersonKey AND closed_on IS NULL";

        public const string Insert =
            "INSERT INTO fu_designations (id, instance_id, person_key, last_name, first_names, birth_date, released_on, jap_given_on, jap_capacity, " +
            "jap_reference, status, review_due_on, designated_by, designated_at) " +
            "VALUES (@Id, @InstanceId, @PersonKey, @LastName, @FirstNames, @BirthDate, @ReleasedOn, @JapGivenOn, @JapCapacity, @JapReference, 'designated', " +
            "@ReviewDueOn, @DesignatedBy, @DesignatedAt)";
    }

    public async Task<DesignationDto> Handle(Designate request, CancellationToken cancellationToken)
    {
        await access.InstanceAsProcureurAsync(request.InstanceId, cancellationToken);
        var body = request.Body;
        var today = access.Today;
        // DES-2, before anything is written: no favourable opinion, no designation, and nothing about the person kept.
        if (body.JapOpinion is not { Favourable: true } opinion)
        {
            throw new RuleViolationException(LegalRules.Des2, body.JapOpinion is null
                ? "A designation needs the favourable opinion of the juge de l'application des peines (or the juge des enfants acting as such): japOpinion is missing. Nothing was stored."
                : "The juge de l'application des peines gave no favourable opinion: the person cannot be designated. Nothing was stored.");
        }
        if (opinion.GivenOn > today)
        {
            throw new RuleViolationException(LegalRules.Des2, "The judge's opinion is dated after today: a designation follows an opinion already given. Nothing was stored.");
        }
        var obligations = body.Obligations ?? [];
        if (obligations.Length == 0)
        {
            throw new RuleViolationException(LegalRules.Des3,
                "A designated person has at least one obligation or prohibition, imposed by the trial court or the JAP, to follow in milieu ouvert. Nothing was stored.");
        }
        for (var i = 0; i < obligations.Length; i++)
        {
            obligations[i].CheckDecided($"obligations[{i}]", today);
        }
        var person = body.Person!;
        var key = PersonKey.Of(options.IdentityKey, person.LastName!, person.FirstNames!, person.BirthDate!.Value);
        if (await db.QuerySingleOrDefaultAsync<long>(Sql.OpenWithKey, new { request.InstanceId, PersonKey = key }, cancellationToken) > 0)
        {
            throw new ConflictException("This person (same names and birth date) is already under an open designation in this instance.");
        }
        var id = Guid.CreateVersion7();
        await db.ExecuteAsync(Sql.Insert, new
        {
            Id = id, request.InstanceId, PersonKey = key, LastName = person.LastName!.Trim(), FirstNames = person.FirstNames!.Trim(), person.BirthDate,
            body.ReleasedOn, JapGivenOn = opinion.GivenOn, JapCapacity = opinion.JudgeCapacity!.Value.ToKebab(), JapReference = opinion.Reference!.Trim(),
            ReviewDueOn = LegalCalendar.AddCalendarMonths(today, options.ReviewIntervalMonths), DesignatedBy = access.Caller.OrganisationId, DesignatedAt = access.Now,
        }, cancellationToken);
        for (var i = 0; i < obligations.Length; i++)
        {
            await ObligationSql.InsertAsync(db, Guid.CreateVersion7(), id, i, obligations[i], cancellationToken);
        }
        var row = (await db.QuerySingleOrDefaultAsync<DesignationRow>(DesignationSql.One, new { Id = id }, cancellationToken))!;
        return await DesignationReader.CoChairViewAsync(db, row, today, cancellationToken);
    }
}

internal static class DesignateEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(FollowUpRoutes.InstanceDesignations, async (Guid id, DesignateBody body, IMediator mediator, CancellationToken ct) =>
            {
                var designation = await mediator.Send(new Designate(id, body), ct);
                return Results.Created($"/api/v1/designations/{designation.Id}", designation);
            })
            .WithName("Designate")
            .Audit("designation.create", AuditOperation.Collection, "designation", null, related: "id")
            .StoresPersonalData().RequireJustification()
            .WithSummary("Designate a convicted person leaving detention, after the JAP's favourable opinion, with the obligations to follow (procureur co-chair; DES-1..4)")
            .Produces<DesignationDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AllowFollowUpWrite();
}
