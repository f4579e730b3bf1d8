package dev.jobflow.api.openapi;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;

import dev.jobflow.api.config.ApiConfig;

/**
 * Serves the Swagger UI ({@code /q/swagger-ui}) only when {@code jobflow.api.swagger-ui.enabled} says so,
 * by default in local mode: otherwise its path answers the problem+json 404 of any unknown path.
 */
@ApplicationScoped
public class SwaggerUiGate {
    private static final Logger LOG = Logger.getLogger(SwaggerUiGate.class);
    static final String PATH = "/q/swagger-ui";

    void install(@Observes Router router, ApiConfig config) {
        if (served(config.swaggerUi().enabled(), config.auth().anonymousUser())) {
            LOG.infof("Swagger UI at %s/", PATH);
            return;
        }
        router.route(PATH + "*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT).handler(ctx -> ctx.fail(404));
    }

    /** The setting when given; else on in local mode (an anonymous user is configured). */
    static boolean served(Optional<Boolean> setting, Optional<String> anonymousUser) {
        return setting.orElse(anonymousUser.filter(user -> !user.isBlank()).isPresent());
    }
}
