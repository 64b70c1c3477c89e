using EtatMajor.Modules.Audit.Domain;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EtatMajor.Modules.Audit.Http;

/// <summary>Which paths the access log covers, and the action of requests that match no endpoint.</summary>
internal sealed class AuditPaths
{
    public List<string> Prefixes { get; } = ["/api/", "/connect/"];

    public Dictionary<string, AuditAction> Unrouted { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Covers(PathString path) => Prefixes.Any(p => path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The fail-closed access log around every request it covers: exactly one record per request.
/// The response is held in memory until the record is durable. A successful command's transaction is held
/// open by the session until here: the record joins it and both commit at once. Every other record (reads,
/// denials, failures) goes through the group-commit writer. If the record cannot be made durable, the caller
/// gets 503 and nothing else: the held response is dropped and the held transaction rolled back.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<AuditPaths> options, AuditAppender appender, GroupCommitWriter writer,
    IProblemDetailsService problems, ILogger<AuditMiddleware> logger)
{
    private readonly AuditPaths paths = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!paths.Covers(context.Request.Path))
        {
            await next(context);
            return;
        }
        var audit = (AuditContext)context.RequestServices.GetRequiredService<IAuditContext>();
        var session = context.RequestServices.GetRequiredService<IDbSession>();
        audit.Start(context);
        session.HoldCommit();

        var streams = context.GetEndpoint()?.Metadata.GetMetadata<StreamsResponse>() is not null;
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var held = new MemoryStream();
        if (!streams)
        {
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(held));
        }
        var escaped = false;
        try
        {
            await next(context);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            // The exception handler inside should have answered; if something escaped it, record a failure.
            escaped = true;
        }
        finally
        {
            context.Features.Set(original);
        }

        if (audit.Committed)
        {
            // A streamed response: its record was made durable before its first byte.
            await session.CompleteAsync(CancellationToken.None);
            return;
        }
        var status = escaped ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        try
        {
            var record = audit.Build(status, paths.Unrouted.GetValueOrDefault(context.Request.Path.Value ?? ""));
            if (session.InTransaction && status < 400)
            {
                await appender.AppendAsync(session, [record], CancellationToken.None);
                await session.CompleteAsync(CancellationToken.None);
            }
            else
            {
                await session.RollbackAsync(CancellationToken.None);
                await writer.WriteAsync(record, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            logger.LogError("Request refused: its access-log record could not be made durable ({ExceptionType})", e.GetType().Name);
            await RefuseAsync(context, session);
            return;
        }

        if (escaped)
        {
            await WriteProblemAsync(context, StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error",
                "The request failed; nothing was changed. Quote the traceId to the operators.");
            return;
        }
        if (!streams && held.Length > 0)
        {
            context.Response.ContentLength = held.Length;
            held.Position = 0;
            await held.CopyToAsync(original.Stream, context.RequestAborted);
        }
    }

    private async Task RefuseAsync(HttpContext context, IDbSession session)
    {
        try
        {
            await session.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // The connection is already gone: nothing of the transaction was committed either way.
        }
        context.Response.Clear();
        context.Response.Headers.RetryAfter = "5";
        await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Service unavailable",
            "The access log cannot record this request, so it is refused and nothing was changed. Retry later.");
    }

    private Task WriteProblemAsync(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail },
        }).AsTask();
    }
}
