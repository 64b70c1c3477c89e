using EtatMajor.SharedKernel.Disclosures;
using MediatR;

namespace EtatMajor.Modules.Confidentiality.Features.GetSubjectAudience;

/// <summary>The answer to <see cref="Contracts.GetSubjectAudience"/>: asks the module that owns the subject.</summary>
internal sealed class GetSubjectAudienceHandler(IEnumerable<ISubjectAudience> audiences) : IRequestHandler<Contracts.GetSubjectAudience, IReadOnlySet<Guid>?>
{
    public Task<IReadOnlySet<Guid>?> Handle(Contracts.GetSubjectAudience request, CancellationToken cancellationToken)
    {
        var provider = audiences.SingleOrDefault(a => a.SubjectKind == request.Subject.Kind)
            ?? throw new InvalidOperationException($"No module answers for the audience of a {request.Subject.Kind}.");
        return provider.AudienceAsync(request.InstanceId, request.Subject.Id, request.At, cancellationToken);
    }
}
