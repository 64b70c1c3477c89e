namespace EtatMajor.Modules.FollowUp.Domain;

/// <summary>An obligation or prohibition to follow in milieu ouvert (DES-3), as the procureur enters it.</summary>
internal sealed record ObligationInput(ObligationKind? Kind, string? Description, ImposedBy? ImposedBy, DateOnly? DecisionDate, DateOnly? From, DateOnly? Until)
{
    public const int MaxDescription = 300;

    public void Validate(string field, ValidationErrors errors)
    {
        if (Kind is null)
        {
            errors.Add($"{field}.kind", "is required: obligation or prohibition");
        }
        errors.Required($"{field}.description", Description, MaxDescription);
        if (ImposedBy is null)
        {
            errors.Add($"{field}.imposedBy", "is required: trial-court or jap");
        }
        if (DecisionDate is null)
        {
            errors.Add($"{field}.decisionDate", "is required (the date of the decision that imposed it)");
        }
        if (From is null)
        {
            errors.Add($"{field}.from", "is required (the first day it applies)");
        }
        if (Until is not null && From is not null && Until < From)
        {
            errors.Add($"{field}.until", "must not be before from");
        }
    }

    /// <summary>A decision is recorded once it has been taken.</summary>
    public void CheckDecided(string field, DateOnly today)
    {
        if (DecisionDate > today)
        {
            throw new UnprocessableException($"{field}.decisionDate", "The decision that imposed this obligation is in the future: record it once taken.") { Rule = LegalRules.Des3 };
        }
    }
}

internal static class ObligationSql
{
    public const string Insert =
        "INSERT INTO fu_obligations (id, designation_id, position, kind, description, imposed_by, decision_date, from_on, until_on, version) " +
        "VALUES (@Id, @DesignationId, @Position, @Kind, @Description, @ImposedBy, @DecisionDate, @From, @Until, 1)";

    public const string Count = "SELECT COUNT(*) FROM fu_obligations WHERE designation_id = @DesignationId";

    public static Task InsertAsync(IDbSession db, Guid id, Guid designationId, int position, ObligationInput o, CancellationToken cancellationToken) =>
        db.ExecuteAsync(Insert, new
        {
            Id = id, DesignationId = designationId, Position = position, Kind = o.Kind!.Value.ToKebab(), Description = o.Description!.Trim(),
            ImposedBy = o.ImposedBy!.Value.ToKebab(), o.DecisionDate, o.From, o.Until,
        }, cancellationToken);
}

/// <summary>Routes of the module.</summary>
internal static class FollowUpRoutes
{
    public const string Designation = "/api/v1/designations/{did:guid}";
    public const string InstanceDesignations = "/api/v1/instances/{id:guid}/designations";
}
