package dev.jobflow.api.rest;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

import io.quarkus.smallrye.openapi.OpenApiFilter;

import dev.jobflow.api.auth.CallerFilter;
import dev.jobflow.api.auth.Right;

/**
 * Says in the OpenAPI document which {@link Right} each operation needs: the extension
 * {@code x-jobflow-right} ({@code read}, {@code submit}, {@code operate}, {@code admin}) and a line
 * of its description, read from the same annotation {@link CallerFilter} checks. A resource class
 * must be listed in {@link #RESOURCES} (OpenApiTest fails on an operation without a right).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class RightsInOpenApi implements OASFilter {
    static final List<Class<?>> RESOURCES = List.of(JobResource.class, QueueResource.class, ScheduleResource.class,
            AuditResource.class, DispatcherResource.class, ConfigResource.class, MeResource.class, TokenResource.class,
            JobTypeResource.class, QueueWebhookResource.class);
    public static final String EXTENSION = "x-jobflow-right";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Right> rights = rights();
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((verb, operation) -> {
            Right right = rights.get(verb.name() + " " + path);
            if (right != null) {
                describe(operation, right);
            }
        }));
    }

    private static void describe(Operation operation, Right right) {
        operation.addExtension(EXTENSION, right.json());
        String line = "Right: " + right.description() + ".";
        operation.setDescription(operation.getDescription() == null ? line : operation.getDescription() + " " + line);
    }

    /** "VERB /path" of every resource method, with the right it needs. */
    private static Map<String, Right> rights() {
        Map<String, Right> rights = new HashMap<>();
        for (Class<?> type : RESOURCES) {
            Path root = type.getAnnotation(Path.class);
            for (Method method : type.getDeclaredMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = (root == null ? "" : root.value()) + (sub == null ? "" : sub.value());
                rights.put(verb + " " + path, CallerFilter.rightOf(method));
            }
        }
        return rights;
    }

    private static String verb(Method method) {
        return method.isAnnotationPresent(GET.class) ? "GET"
                : method.isAnnotationPresent(POST.class) ? "POST"
                        : method.isAnnotationPresent(PUT.class) ? "PUT"
                                : method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
    }
}
