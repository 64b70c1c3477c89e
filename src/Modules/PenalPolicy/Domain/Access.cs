namespace EtatMajor.Modules.PenalPolicy.Domain;

/// <summary>
/// The object-level check of every penal-policy request: an instance exists only for its current members (a stranger,
/// a participant, a removed member or an administrator gets 404); inside it, the co-chairs and the procureurs each
/// do what the law gives them (403 naming the rule). Read at the request's instant.
/// </summary>
internal sealed class PenalPolicyAccess(IMediator mediator, ICallerAccessor callers, TimeProvider clock)
{
    public DateTimeOffset Now { get; } = clock.Instant();

    public DateOnly Today => LegalCalendar.DateOf(Now);

    public Caller Caller => callers.Required;

    /// <summary>The instance, for a current member (co-chairs included); 404 otherwise.</summary>
    public async Task<InstanceCircle> InstanceAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var circle = await mediator.Send(new GetInstanceCircle(instanceId, [], Now), cancellationToken);
        return circle is not null && circle.Members.Contains(Caller.OrganisationId) ? circle : throw new NotFoundException("No such instance.");
    }

    /// <summary>The procureur co-chairs of the instance at an instant (the end of a past year).</summary>
    public async Task<IReadOnlyList<Guid>> ProcureursAtAsync(Guid instanceId, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetInstanceCircle(instanceId, [], at), cancellationToken))?.Procureurs ?? [];

    /// <summary>What the instance's co-chairs record for it (an opinion adopted in session, OPN-1).</summary>
    public async Task<InstanceCircle> AsCoChairAsync(Guid instanceId, LegalRule rule, string refusal, CancellationToken cancellationToken)
    {
        var circle = await InstanceAsync(instanceId, cancellationToken);
        return circle.IsCoChair(Caller.OrganisationId) ? circle : throw new ForbiddenException(refusal) { Rule = rule };
    }

    /// <summary>POL-1: only a procureur co-chair of the instance records his own briefing.</summary>
    public async Task<InstanceCircle> AsProcureurCoChairAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var circle = await InstanceAsync(instanceId, cancellationToken);
        return circle.IsProcureurCoChair(Caller.OrganisationId)
            ? circle
            : throw new ForbiddenException("Only a procureur de la République co-chairing the instance records the briefing he gave it on the penal policy.")
            {
                Rule = LegalRules.Pol1,
            };
    }

    /// <summary>
    /// A reader of what is told to the instance (a synthesis, a briefing's summary, an opinion): a current member who
    /// acknowledged the règlement intérieur in force (CONF-3, CONF-4, at each reading as at the delivery); a stranger gets 404.
    /// </summary>
    public async Task ReaderOfDeliveriesAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var memberships = await mediator.Send(new GetMemberships(instanceId, [Caller.OrganisationId], Now), cancellationToken);
        var caller = memberships?.Organisations.GetValueOrDefault(Caller.OrganisationId);
        if (caller is not { IsMember: true })
        {
            throw new NotFoundException("No such instance.");
        }
        if (!caller.AcknowledgedRulesInForce)
        {
            throw new ForbiddenException(memberships!.RulesInForce is null
                ? "No règlement intérieur is in force for this instance: what is exchanged under it cannot be read."
                : "Your organisation has not acknowledged the règlement intérieur in force: it reads what is delivered to the instance once it has.")
            {
                Rule = memberships.RulesInForce is null ? LegalRules.Conf3 : LegalRules.Conf4,
            };
        }
    }
}

internal static class PenalPolicyEndpoints
{
    /// <summary>Scope penal-policy, whatever the kind: the handler says who may (a stranger 404, a member without the role 403 with the rule).</summary>
    public static TBuilder AllowPenalPolicy<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Allow(Scopes.PenalPolicy);
}

/// <summary>The disclosure kind of this module.</summary>
internal static class PenalPolicyDisclosures
{
    /// <summary>POL-2: the synthesis of a procureur's annual report, delivered to the instances where he sits.</summary>
    public const string Synthesis = "synthesis";
}
