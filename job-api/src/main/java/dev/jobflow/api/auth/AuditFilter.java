package dev.jobflow.api.auth;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.AuditEntry;
import dev.jobflow.core.store.JobCatalog;

/**
 * Records every successful write ({@link CallerRequired} methods answering 2xx) in the audit log:
 * who (and how identified), the action as its route ({@code POST /api/v1/jobs/{id}/retry}), its
 * target (the path's id or name, or the job a submit made, from {@code Location}) and the status.
 * A write that failed is not recorded (it changed nothing). The record is written before the
 * response goes out; if the audit log cannot be written, the action stands and a WARN says so.
 * A method marked {@link AuditsItself} records its own (a submit: in the job's own transaction).
 */
public class AuditFilter {
    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    private final JobCatalog store;
    private final CurrentCaller current;

    AuditFilter(JobCatalog store, CurrentCaller current) {
        this.store = store;
        this.current = current;
    }

    @ServerResponseFilter
    public Uni<Void> record(ResourceInfo resource, ContainerRequestContext request, ContainerResponseContext response) {
        Method method = resource.getResourceMethod();
        if (method == null || !method.isAnnotationPresent(CallerRequired.class) || response.getStatus() / 100 != 2
                || "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())
                || method.isAnnotationPresent(AuditsItself.class)) {
            return Uni.createFrom().voidItem();
        }
        Caller who = current.get();
        String action = request.getMethod() + " " + route(resource);
        String target = target(request, response);
        AuditEntry entry = AuditEntry.of(who.name(), who.via().json(), action, target, "status " + response.getStatus()
                + detail(response));
        return write(store, entry);
    }

    /** Writes {@code entry}; if the audit log cannot be written, the action stands and a WARN says so. */
    public static Uni<Void> write(JobCatalog store, AuditEntry entry) {
        return store.audit(entry).onFailure().invoke(e -> LOG.warnf("audit log not written for %s by %s: %s",
                entry.action(), entry.actor(), e.getMessage())).onFailure().recoverWithNull();
    }

    private static String route(ResourceInfo resource) {
        Path type = resource.getResourceClass().getAnnotation(Path.class);
        Path method = resource.getResourceMethod().getAnnotation(Path.class);
        return (type == null ? "" : type.value()) + (method == null ? "" : method.value());
    }

    private static String target(ContainerRequestContext request, ContainerResponseContext response) {
        Map<String, List<String>> params = request.getUriInfo().getPathParameters();
        if (!params.isEmpty()) {
            return params.entrySet().stream().map(e -> e.getKey() + " " + String.join(",", e.getValue()))
                    .collect(Collectors.joining(" "));
        }
        Object location = response.getHeaders().getFirst("Location");
        if (location != null) {
            String path = location.toString();
            return path.substring(path.lastIndexOf("/api/v1/") + "/api/v1/".length());
        }
        return null;
    }

    /** What a bulk action counted. */
    private static String detail(ContainerResponseContext response) {
        Object entity = response.getEntity();
        return entity != null && entity.getClass().getSimpleName().equals("BulkResult") ? ": " + entity : "";
    }
}
