using EtatMajor.SharedKernel.Disclosures;
using EtatMajor.SharedKernel.Validation;

namespace EtatMajor.SharedKernel.Content;

/// <summary>An attachment as an integrator sends it (an exchange, a synthesis): its name, type, declared kind and content in base64.</summary>
public sealed record AttachmentInput(string? FileName, string? MediaType, string? DocumentKind, string? ContentBase64);

/// <summary>What a sender may declare an attachment to be, and in which file types (one list for every module that takes attachments).</summary>
public static class DocumentKinds
{
    public static readonly string[] Allowed = ["note", "meeting-minutes", "statistics", "follow-up-report", "correspondence", "other"];

    public static readonly string[] MediaTypes = ["application/pdf", "text/plain", "image/png", "image/jpeg"];

    /// <summary>The file name says what the content is: a reader opens a file by its extension.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Extensions = new Dictionary<string, string[]>
    {
        ["application/pdf"] = [".pdf"], ["text/plain"] = [".txt", ".csv"], ["image/png"] = [".png"], ["image/jpeg"] = [".jpg", ".jpeg"],
    };

    /// <summary>
    /// What a sender may declare: the allowed kinds, and the criminal-procedure kinds (accepted as input only so
    /// that the policy names them in its refusal, CONF-2; never stored).
    /// </summary>
    public static bool Known(string? kind) => kind is not null && (Allowed.Contains(kind) || CriminalProcedureDocuments.Kinds.Contains(kind));
}

/// <summary>The checks at the door of every attachment: a plain file name matching its type, a known kind, base64 that decodes to a whole file of that type.</summary>
public static class AttachmentChecks
{
    /// <summary>Each attachment's bytes; null where the base64 is missing or not valid.</summary>
    public static IReadOnlyList<byte[]?> Decode(IReadOnlyList<AttachmentInput?>? attachments) =>
        (attachments ?? []).Select(a => TryDecode(a?.ContentBase64)).ToList();

    /// <summary>The documents the policy reads (CONF-2), located as `attachments[i]`.</summary>
    public static IReadOnlyList<DisclosedDocument> Disclosed(IReadOnlyList<AttachmentInput?>? attachments, IReadOnlyList<byte[]?> decoded) =>
        (attachments ?? []).Select((a, i) => new DisclosedDocument($"attachments[{i}]", a?.FileName ?? "", a?.DocumentKind ?? "", a?.MediaType ?? "", decoded[i] ?? []))
            .ToList();

    public static void Validate(IReadOnlyList<AttachmentInput?>? attachments, IReadOnlyList<byte[]?> decoded, int maxCount, long maxBytes, ValidationErrors errors)
    {
        var list = attachments ?? [];
        if (list.Count > maxCount)
        {
            errors.Add("attachments", $"at most {maxCount}");
            return;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not { } attachment)
            {
                errors.Add($"attachments[{i}]", "is required: an object with fileName, mediaType, documentKind and contentBase64");
                continue;
            }
            Validate($"attachments[{i}]", attachment, decoded[i], maxBytes, errors);
        }
    }

    private static void Validate(string field, AttachmentInput attachment, byte[]? content, long maxBytes, ValidationErrors errors)
    {
        errors.Required($"{field}.fileName", attachment.FileName, 255);
        if (attachment.FileName is { } name && (name.IndexOfAny(['/', '\\']) >= 0 || name.Any(char.IsControl)))
        {
            errors.Add($"{field}.fileName", "a file name, without a path or control characters");
        }
        if (!DocumentKinds.Known(attachment.DocumentKind))
        {
            errors.Add($"{field}.documentKind", $"one of: {string.Join(' ', DocumentKinds.Allowed)}");
        }
        if (!DocumentKinds.MediaTypes.Contains(attachment.MediaType))
        {
            errors.Add($"{field}.mediaType", $"one of: {string.Join(' ', DocumentKinds.MediaTypes)}");
        }
        else if (attachment.FileName is { } file && !DocumentKinds.Extensions[attachment.MediaType!].Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{field}.fileName", $"must end with {string.Join(" or ", DocumentKinds.Extensions[attachment.MediaType!])} for {attachment.MediaType}");
        }
        if (content is null)
        {
            errors.Add($"{field}.contentBase64", "is required, in base64");
        }
        else if (content.Length > maxBytes)
        {
            errors.Add($"{field}.contentBase64", $"at most {maxBytes} bytes once decoded");
        }
        else if (attachment.MediaType is { } mediaType && DocumentKinds.MediaTypes.Contains(mediaType) && FileSignatures.Fault(mediaType, content) is { } fault)
        {
            errors.Add($"{field}.contentBase64", $"the content is not a whole {mediaType}: it {fault} (the content is checked, not only the declared type)");
        }
    }

    private static byte[]? TryDecode(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
