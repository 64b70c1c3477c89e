using EtatMajor.SharedKernel.Errors;
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

    /// <summary>`//api/…` too (issue 14: it answered 404 unrecorded): repeated leading slashes do not take a request out of the log.</summary>
    public bool Covers(PathString path)
    {
        var value = path.Value ?? "";
        var normalised = new PathString(value.StartsWith("//", StringComparison.Ordinal) ? "/" + value.TrimStart('/') : value);
        return Prefixes.Any(p => normalised.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// The fail-closed access log around every request it covers: exactly one record per request, and the owner
/// of the request's unit of work. The response is held until the record is durable (a streamed response makes
/// its record durable before its first byte, and is then given the real body). Once the pipeline has run:
/// - a successful command (its unit of work begun): the record enlists in it, and the one commit of the
///   request happens here — the effect and its record together;
/// - anything else (a read, a denial, a failure): the unit of work is rolled back (nothing of a failed command
///   is kept) and the record goes through the group-commit writer.
/// If the record cannot be made durable, the caller gets 503 and nothing else, and nothing is changed.
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
        var work = context.RequestServices.GetRequiredService<UnitOfWork>();
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var held = new MemoryStream();
        // Every response is held, a streamed one too until its record is durable: only then is the body given
        // back (a streamed endpoint that fails before that answers through the held buffer like any other).
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(held));
        audit.Start(context, streamFromNow: () => context.Features.Set(original));
        try
        {
            await RecordAsync(context, audit, work, original, held);
        }
        finally
        {
            audit.Settled();
        }
    }

    private async Task RecordAsync(HttpContext context, AuditContext audit, UnitOfWork work, IHttpResponseBodyFeature original, MemoryStream held)
    {
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
            // A streamed response (a read): its record was made durable before its first byte.
            return;
        }
        var status = escaped ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        try
        {
            // A known unrouted path in any case, with or without a trailing slash (`/connect/token/` is the token endpoint too).
            var record = audit.Build(status, paths.Unrouted.GetValueOrDefault((context.Request.Path.Value ?? "").TrimEnd('/')));
            if (work.Begun && status < 400)
            {
                // The one commit of the request: the command's effect, its other participants and its record.
                work.Enlist(appender.Participant(record));
                await work.CommitAsync(CancellationToken.None);
            }
            else
            {
                await work.RollbackAsync(CancellationToken.None);
                await writer.WriteAsync(record, CancellationToken.None);
            }
            // Durable: pages of a period may pass its instant now, before the answer is sent to a slow reader.
            audit.Settled();
        }
        catch (Exception e)
        {
            logger.LogError("Request refused: its access-log record could not be made durable ({ExceptionType})", e.GetType().Name);
            await RefuseAsync(context, work);
            return;
        }

        if (escaped)
        {
            await WriteProblemAsync(context, StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error",
                "The request failed; nothing was changed. Quote the traceId to the operators.");
            return;
        }
        if (held.Length > 0)
        {
            context.Response.ContentLength = held.Length;
            held.Position = 0;
            await held.CopyToAsync(original.Stream, context.RequestAborted);
        }
    }

    private async Task RefuseAsync(HttpContext context, UnitOfWork work)
    {
        try
        {
            await work.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
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
