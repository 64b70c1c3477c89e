using System.Text.Json.Serialization;
using EtatMajor.SharedKernel.Content;

namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>
/// What an integrator sends (or checks): subject, body, recipients, attachments in base64, and, for information about
/// a designated person, the designation (its co-chairs and assigned services are then the only audience, CONF-1).
/// </summary>
internal sealed record ExchangeBody(string? Subject, string? Body, Guid[]? RecipientOrganisationIds, AttachmentInput[]? Attachments, Guid? DesignationId = null)
{
    /// <summary>Who the exchange is about, when it is about a designated person.</summary>
    [JsonIgnore]
    public DisclosureSubject? About => DesignationId is { } id ? new DisclosureSubject(DisclosureSubject.Designation, id) : null;

    private IReadOnlyList<byte[]?>? decoded;

    /// <summary>Each attachment's bytes, decoded once; null where the base64 is not valid.</summary>
    [JsonIgnore]
    public IReadOnlyList<byte[]?> Decoded => decoded ??= AttachmentChecks.Decode(Attachments);

    public DisclosedContent Content() => new(
        [new DisclosedText("subject", Subject ?? ""), new DisclosedText("body", Body ?? "")],
        AttachmentChecks.Disclosed(Attachments, Decoded));

    public void Validate(ExchangeOptions options, ValidationErrors errors)
    {
        errors.Required("subject", Subject, ExchangeOptions.MaxSubject);
        errors.Required("body", Body, ExchangeOptions.MaxBody);
        Recipients.Validate("recipientOrganisationIds", RecipientOrganisationIds, errors);
        AttachmentChecks.Validate(Attachments, Decoded, options.MaxAttachments, options.MaxAttachmentBytes, errors);
    }
}

internal static class Recipients
{
    public static void Validate(string field, Guid[]? recipients, ValidationErrors errors)
    {
        if (recipients is not { Length: > 0 } || recipients.Length > ExchangeOptions.MaxRecipients)
        {
            errors.Add(field, $"between 1 and {ExchangeOptions.MaxRecipients} organisation ids");
        }
        else if (recipients.Contains(Guid.Empty) || recipients.Distinct().Count() != recipients.Length)
        {
            errors.Add(field, "distinct organisation ids");
        }
    }
}
