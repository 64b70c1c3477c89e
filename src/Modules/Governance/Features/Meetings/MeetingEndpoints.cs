using EtatMajor.Modules.Governance.Features.Instances;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Http;
using EtatMajor.SharedKernel.Identity;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtatMajor.Modules.Governance.Features.Meetings;

internal static class MeetingEndpoints
{
    private const string Base = "/api/v1/instances/{id:guid}/meetings";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Base, async (Guid id, RecordMeetingBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var meeting = await mediator.Send(new RecordMeeting(id, body.HeldOn, body.Themes, body.AttendeeOrganisationIds, body.Guests), ct);
                http.Response.Headers.ETag = meeting.ETag;
                return Results.Created($"/api/v1/instances/{id}/meetings/{meeting.Id}", meeting);
            })
            .WithName("RecordMeeting")
            .Audit("meeting.create", AuditOperation.Collection, "meeting", null)
            .WithSummary("A co-chair records a held meeting: attendees are members; guests attend this meeting only (COMP-5)")
            .Produces<MeetingDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapGet(Base, (Guid id, int? year, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListMeetings(id, year, limit, cursor), ct))
            .WithName("ListMeetings")
            .Audit("meeting.list", AuditOperation.Consultation, "instance")
            .WithSummary("The meetings of a year (the current one by default), in date order, for members (cursor pagination)")
            .Produces<Page<MeetingSummaryDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapGet(Base + "/{meetingId:guid}", async (Guid id, Guid meetingId, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var meeting = await mediator.Send(new GetMeeting(id, meetingId), ct);
                http.Response.Headers.ETag = meeting.ETag;
                return meeting;
            })
            .WithName("GetMeeting")
            .Audit("meeting.read", AuditOperation.Consultation, "meeting", "meetingId")
            .WithSummary("One meeting with its minutes; the ETag header is what If-Match needs to change the minutes")
            .Produces<MeetingDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembers();

        app.MapPut(Base + "/{meetingId:guid}/minutes", async (Guid id, Guid meetingId, MinutesBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var meeting = await mediator.Send(new UpdateMinutes(id, meetingId, body.Text, http.Request.Headers.IfMatch.ToString()), ct);
                http.Response.Headers.ETag = meeting.ETag;
                return meeting;
            })
            .WithName("UpdateMinutes")
            .Audit("meeting.minutes", AuditOperation.Modification, "meeting", "meetingId")
            .WithSummary("A co-chair writes the minutes, with If-Match: the meeting's ETag (428 without, 412 when stale)")
            .Produces<MeetingDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .Allow(Scopes.Governance, OrganisationKind.Prefet, OrganisationKind.Procureur);

        app.MapGet("/api/v1/instances/{id:guid}/meeting-cadence", (Guid id, int? year, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetCadence(id, year), ct))
            .WithName("GetMeetingCadence")
            .Audit("meeting.cadence", AuditOperation.Consultation, "instance")
            .WithSummary("Meetings held per month up to the current one; for an EMS, which months are non-compliant (MEET-1)")
            .Produces<CadenceDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .AllowMembersAndAdministrators();

        app.MapGet("/api/v1/reports/dno", async (string? semester, string? departement, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var report = await mediator.Send(new GetDnoReport(semester, departement), ct);
                return http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)
                    ? Results.Text(report.ToCsv(), "text/csv; charset=utf-8")
                    : Results.Ok(report);
            })
            .WithName("GetDnoReport")
            .Audit("report.dno", AuditOperation.Consultation, "report", null)
            .WithSummary("Semester count of EMS meetings per département for the DNO dashboard (MEET-2); CSV with Accept: text/csv")
            .Produces<DnoReportDto>().Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Allow(Scopes.Admin, OrganisationKind.Administrateur)
            .Allow(Scopes.Governance, OrganisationKind.Prefet);
    }
}
