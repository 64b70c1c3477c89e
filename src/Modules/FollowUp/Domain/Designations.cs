using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EtatMajor.Modules.FollowUp.Domain;

/// <summary>Stored: designated, suspended, closed, erased; `active` is a designated follow-up whose release date has come.</summary>
internal enum DesignationStatus
{
    Designated,
    Active,
    Suspended,
    Closed,
    Erased,
}

internal enum ClosureReason
{
    ObligationsEnded,
    Revoked,
    ReturnedToDetention,
    ChangeOfRessort,
    Withdrawn,
    Deceased,
}

internal enum JudgeCapacity
{
    Jap,
    JugeDesEnfants,
}

internal enum ObligationKind
{
    Obligation,
    Prohibition,
}

internal enum ImposedBy
{
    TrialCourt,
    Jap,
}

internal enum ObservationOutcome
{
    Respected,
    BreachSuspected,
    NotVerifiable,
}

/// <summary>FLOW-1: the closed list of what reaches the instance from the judicial side, through the procureur.</summary>
internal enum FollowUpEventType
{
    ObligationModified,
    MeasureRevoked,
    ReturnedToDetention,
    ReleasedAgain,
    ChangeOfRessort,
    MeasureEnded,
}

internal enum EventSource
{
    Jap,
    Spip,
    TrialCourt,
}

internal enum ReviewDecision
{
    Continue,
    Close,
}

/// <summary>The disclosure kinds of this module.</summary>
internal static class FollowUpDisclosures
{
    public const string Subject = DisclosureSubject.Designation;
    public const string Observation = "observation";
    public const string Report = "follow-up-report";
}

/// <summary>A row of fu_designations; enums are stored as their kebab-case names.</summary>
internal sealed class DesignationRow
{
    public const string Columns =
        $"d.id AS {nameof(Id)}, d.instance_id AS {nameof(InstanceId)}, d.last_name AS {nameof(LastName)}, d.first_names AS {nameof(FirstNames)}, " +
        $"d.birth_date AS {nameof(BirthDate)}, d.released_on AS {nameof(ReleasedOn)}, d.jap_given_on AS {nameof(JapGivenOn)}, " +
        $"d.jap_capacity AS {nameof(JapCapacity)}, d.jap_reference AS {nameof(JapReference)}, d.status AS {nameof(Status)}, d.closed_on AS {nameof(ClosedOn)}, " +
        $"d.closure_reason AS {nameof(ClosureReason)}, d.review_due_on AS {nameof(ReviewDueOn)}, d.designated_by AS {nameof(DesignatedBy)}, " +
        $"d.designated_at AS {nameof(DesignatedAt)}, d.erased_at AS {nameof(ErasedAt)}, d.obligation_count AS {nameof(ObligationCount)}, " +
        $"d.assignment_count AS {nameof(AssignmentCount)}, d.observation_count AS {nameof(ObservationCount)}, d.event_count AS {nameof(EventCount)}";

    public Guid Id { get; init; }
    public Guid InstanceId { get; init; }
    public string? LastName { get; init; }
    public string? FirstNames { get; init; }
    public DateOnly? BirthDate { get; init; }
    public DateOnly ReleasedOn { get; init; }
    public DateOnly JapGivenOn { get; init; }
    public string JapCapacity { get; init; } = "";
    public string? JapReference { get; init; }
    public string Status { get; init; } = "";
    public DateOnly? ClosedOn { get; init; }
    public string? ClosureReason { get; init; }
    public DateOnly? ReviewDueOn { get; init; }
    public Guid DesignatedBy { get; init; }
    public DateTimeOffset DesignatedAt { get; init; }
    public DateTimeOffset? ErasedAt { get; init; }
    public int? ObligationCount { get; init; }
    public int? AssignmentCount { get; init; }
    public int? ObservationCount { get; init; }
    public int? EventCount { get; init; }

    public DesignationStatus Stored => Kebab.Parse<DesignationStatus>(Status);

    public bool IsOpen => Stored is DesignationStatus.Designated or DesignationStatus.Suspended;

    public bool IsErased => Stored == DesignationStatus.Erased;

    /// <summary>`designated` until the release date, then `active`.</summary>
    public DesignationStatus StatusOn(DateOnly today) =>
        Stored == DesignationStatus.Designated && today >= ReleasedOn ? DesignationStatus.Active : Stored;
}

internal static class DesignationSql
{
    public const string One = $"SELECT {DesignationRow.Columns} FROM fu_designations d WHERE d.id = @Id";

    /// <summary>Closing ends every assignment at once: the services become third parties (CONF-1) for all they saw.</summary>
    public const string Close =
        "UPDATE fu_designations SET status = 'closed', closed_on = @ClosedOn, closure_reason = @Reason, review_due_on = NULL WHERE id = @Id";

    public const string EndAssignments = "UPDATE fu_assignments SET removed_at = @Now WHERE designation_id = @Id AND removed_at IS NULL";

    public const string SetStatus = "UPDATE fu_designations SET status = @Status WHERE id = @Id";

    public const string InsertEvent =
        "INSERT INTO fu_events (id, designation_id, type, occurred_on, source, reference, recorded_by, recorded_at) " +
        "VALUES (@Id, @DesignationId, @Type, @OccurredOn, @Source, @Reference, @RecordedBy, @RecordedAt)";

    public static async Task CloseAsync(IDbSession db, Guid id, DateOnly closedOn, ClosureReason reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.ExecuteAsync(Close, new { Id = id, ClosedOn = closedOn, Reason = reason.ToKebab() }, cancellationToken);
        await db.ExecuteAsync(EndAssignments, new { Id = id, Now = now }, cancellationToken);
    }
}

/// <summary>
/// The keyed hash of a person's identity (HMAC-SHA-256 under `FollowUp:IdentityKey`): it recognises the same
/// person under an open designation of the instance (409) without storing the identity a second time, and
/// without letting anyone who reads the database alone recompute it from a guessed name.
/// </summary>
internal static class PersonKey
{
    public static string Of(byte[] key, string lastName, string firstNames, DateOnly birthDate)
    {
        var normalised = $"{Fold(lastName)}|{Fold(firstNames)}|{birthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(normalised)));
    }

    /// <summary>Case, accents, hyphens and repeated spaces do not make another person.</summary>
    private static string Fold(string name)
    {
        var decomposed = name.Trim().ToUpperInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var folded = c is '-' or '\'' or '’' || char.IsWhiteSpace(c) ? ' ' : c;
            if (folded != ' ' || (builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(folded);
            }
        }
        return builder.ToString().Trim();
    }
}
