using System.Globalization;

namespace EtatMajor.Modules.PenalPolicy.Features.ListMeasures;

internal sealed record ListMeasures(string? On) : IQuery<MeasureCatalogueDto>, INotADisclosure;

internal sealed class ListMeasuresValidator : IValidator<ListMeasures>
{
    public void Validate(ListMeasures request, ValidationErrors errors)
    {
        if (request.On is not null && !ListMeasuresHandler.TryParseDay(request.On, out _))
        {
            errors.Add("on", "a date (such as 2024-06-30): the measures in force that day; the whole catalogue when omitted");
        }
    }
}

/// <summary>OPN-1: the versioned catalogue of the art. 41-1 CPP measures, or those in force on a day.</summary>
internal sealed class ListMeasuresHandler : IRequestHandler<ListMeasures, MeasureCatalogueDto>
{
    public static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public Task<MeasureCatalogueDto> Handle(ListMeasures request, CancellationToken cancellationToken)
    {
        DateOnly? on = request.On is null ? null : TryParseDay(request.On, out var day) ? day : null;
        var measures = MeasureCatalogue.All.Where(m => on is null || m.InForceOn(on.Value))
            .Select(m => new MeasureDto(m.Code, m.Label, m.LegalBasis, m.InForceFrom, m.InForceUntil, m.Note)).ToList();
        return Task.FromResult(new MeasureCatalogueDto(MeasureCatalogue.Version, on, measures, null));
    }
}

internal static class ListMeasuresEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/penal-policy/measures", (string? on, IMediator mediator, CancellationToken ct) => mediator.Send(new ListMeasures(on), ct))
            .WithName("ListAlternativeMeasures")
            .Audit("penal-policy-measures.read", AuditOperation.Consultation, "penal-policy-measures", null)
            .WithSummary("The versioned catalogue of the art. 41-1 CPP measures with their dates in force, or those in force on a day (?on=2024-06-30) (OPN-1)")
            .Produces<MeasureCatalogueDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AllowPenalPolicy();
}
