namespace EtatMajor.SharedKernel.Validation;

/// <summary>Checks the shape and limits of a request; adds one message per faulty field.</summary>
public interface IValidator<in TRequest>
{
    void Validate(TRequest request, ValidationErrors errors);
}

/// <summary>Field errors keyed by the JSON path of the field (camelCase).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    public void Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
        }
        else
        {
            MaxLength(field, value, maxLength);
        }
    }

    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }
    }

    public void NotEmpty(string field, Guid value)
    {
        if (value == Guid.Empty)
        {
            Add(field, "is required");
        }
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new EtatMajor.SharedKernel.Errors.RequestValidationException(ToDictionary());
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
