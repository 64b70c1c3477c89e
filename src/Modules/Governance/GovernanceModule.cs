using EtatMajor.Modules.Governance.Features.AcknowledgeInternalRules;
using EtatMajor.Modules.Governance.Features.AddMember;
using EtatMajor.Modules.Governance.Features.AddParticipant;
using EtatMajor.Modules.Governance.Features.CosignProposal;
using EtatMajor.Modules.Governance.Features.CreateClient;
using EtatMajor.Modules.Governance.Features.CreateInstance;
using EtatMajor.Modules.Governance.Features.CreateOrganisation;
using EtatMajor.Modules.Governance.Features.DisableClient;
using EtatMajor.Modules.Governance.Features.EnableClient;
using EtatMajor.Modules.Governance.Features.ListClients;
using EtatMajor.Modules.Governance.Features.RotateClientSecret;
using EtatMajor.Modules.Governance.Features.GetClient;
using EtatMajor.Modules.Governance.Features.GetDepartementInternalRules;
using EtatMajor.Modules.Governance.Features.GetDnoReport;
using EtatMajor.Modules.Governance.Features.GetInstance;
using EtatMajor.Modules.Governance.Features.GetInternalRules;
using EtatMajor.Modules.Governance.Features.GetMeeting;
using EtatMajor.Modules.Governance.Features.GetMeetingCadence;
using EtatMajor.Modules.Governance.Features.GetMember;
using EtatMajor.Modules.Governance.Features.GetOrganisation;
using EtatMajor.Modules.Governance.Features.GetProposal;
using EtatMajor.Modules.Governance.Features.ListAcknowledgements;
using EtatMajor.Modules.Governance.Features.ListInstances;
using EtatMajor.Modules.Governance.Features.ListInternalRules;
using EtatMajor.Modules.Governance.Features.ListMeetings;
using EtatMajor.Modules.Governance.Features.ListParticipants;
using EtatMajor.Modules.Governance.Features.ListMembers;
using EtatMajor.Modules.Governance.Features.ListOrganisations;
using EtatMajor.Modules.Governance.Features.ListProposals;
using EtatMajor.Modules.Governance.Features.ProposeAssociation;
using EtatMajor.Modules.Governance.Features.RecordInternalRules;
using EtatMajor.Modules.Governance.Features.RecordMeeting;
using EtatMajor.Modules.Governance.Features.RejectProposal;
using EtatMajor.Modules.Governance.Features.ReleaseMinutes;
using EtatMajor.Modules.Governance.Features.RemoveMember;
using EtatMajor.Modules.Governance.Features.RepealInternalRules;
using EtatMajor.Modules.Governance.Features.RemoveParticipant;
using EtatMajor.Modules.Governance.Features.UpdateMinutes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Modules.Governance;

/// <summary>Organisations, API clients, instances (EMS, CCOFSI), membership, proposals, meetings, règlement intérieur.</summary>
public static partial class GovernanceModule
{
    public static IServiceCollection AddGovernance(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddHandlersFrom(typeof(GovernanceModule).Assembly);
        services.AddScoped<IClientDirectory, ClientDirectory>();
        services.AddSingleton<EnabledClients>();
        services.AddScoped<InstanceAccess>();
        services.AddSingleton(new MigrationSource("governance", typeof(GovernanceModule).Assembly));
        return services;
    }

    public static IEndpointRouteBuilder MapGovernance(this IEndpointRouteBuilder endpoints)
    {
        var organisations = endpoints.MapGroup("").WithTags("Organisations and clients");
        CreateOrganisationEndpoint.Map(organisations);
        ListOrganisationsEndpoint.Map(organisations);
        GetOrganisationEndpoint.Map(organisations);
        CreateClientEndpoint.Map(organisations);
        GetClientEndpoint.Map(organisations);
        DisableClientEndpoint.Map(organisations);
        ListClientsEndpoint.Map(organisations);
        EnableClientEndpoint.Map(organisations);
        RotateClientSecretEndpoint.Map(organisations);

        var governance = endpoints.MapGroup("").WithTags("Governance");
        CreateInstanceEndpoint.Map(governance);
        ListInstancesEndpoint.Map(governance);
        GetInstanceEndpoint.Map(governance);
        ListMembersEndpoint.Map(governance);
        GetMemberEndpoint.Map(governance);
        AddMemberEndpoint.Map(governance);
        RemoveMemberEndpoint.Map(governance);
        ListParticipantsEndpoint.Map(governance);
        AddParticipantEndpoint.Map(governance);
        RemoveParticipantEndpoint.Map(governance);
        ProposeAssociationEndpoint.Map(governance);
        CosignProposalEndpoint.Map(governance);
        RejectProposalEndpoint.Map(governance);
        ListProposalsEndpoint.Map(governance);
        GetProposalEndpoint.Map(governance);
        RecordMeetingEndpoint.Map(governance);
        ListMeetingsEndpoint.Map(governance);
        GetMeetingEndpoint.Map(governance);
        UpdateMinutesEndpoint.Map(governance);
        ReleaseMinutesEndpoint.Map(governance);
        GetMeetingCadenceEndpoint.Map(governance);
        GetDnoReportEndpoint.Map(governance);
        RecordInternalRulesEndpoint.Map(governance);
        GetDepartementInternalRulesEndpoint.Map(governance);
        RepealInternalRulesEndpoint.Map(governance);
        ListInternalRulesEndpoint.Map(governance);
        GetInternalRulesEndpoint.Map(governance);
        AcknowledgeInternalRulesEndpoint.Map(governance);
        ListAcknowledgementsEndpoint.Map(governance);
        return endpoints;
    }
}
