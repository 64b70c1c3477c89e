namespace EtatMajor.Modules.Governance.Features.GetMeetingHeldOn;

/// <summary>The answer other modules get to <see cref="Contracts.GetMeetingHeldOn"/>: a meeting of that instance and the day it was held.</summary>
internal sealed class GetMeetingHeldOnHandler(IDbSession db) : IRequestHandler<Contracts.GetMeetingHeldOn, DateOnly?>
{
    internal static class Sql
    {
        public const string HeldOn = "SELECT held_on FROM gov_meetings WHERE id = @MeetingId AND instance_id = @InstanceId";
    }

    public Task<DateOnly?> Handle(Contracts.GetMeetingHeldOn request, CancellationToken cancellationToken) =>
        db.QuerySingleOrDefaultAsync<DateOnly?>(Sql.HeldOn, new { request.MeetingId, request.InstanceId }, cancellationToken);
}
