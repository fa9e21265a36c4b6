using SleepScoring.Api.Endpoints;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Security;

/// <summary>
/// Hospital integrations see only the studies they uploaded: on every <c>/api/v1/studies/{id}…</c>
/// endpoint an integration key gets 404 for any other study (as if it did not exist). People's
/// roles (technician, clinician, admin) see every study.
/// </summary>
public sealed class StudyAccessFilter(IStudyStore studies) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        if (http.User.IsInRole(Roles.Integration) && http.Request.RouteValues["id"] is string id
            && !await studies.UploadedByAsync(id, http.User.KeyId(), http.RequestAborted).ConfigureAwait(false))
        {
            return Problems.NotFound($"study {id}");
        }

        return await next(context).ConfigureAwait(false);
    }
}
