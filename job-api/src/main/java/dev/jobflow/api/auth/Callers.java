package dev.jobflow.api.auth;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.jobflow.api.config.ApiConfig;
import dev.jobflow.api.rest.SubmitJobRequest;
import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.core.auth.JobApiKey;
import dev.jobflow.core.auth.KeyCache;
import dev.jobflow.core.auth.OidcVerifier;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.store.Credentials;

/**
 * Identifies the caller of a request and its {@link Role}: an API key if a credential is presented (an empty, foreign-scheme,
 * unknown or revoked one is refused, never passed over), else the trusted proxy header, else the
 * anonymous user if configured.
 * Neither keys nor header values are ever logged.
 */
@ApplicationScoped
public class Callers {
    /** What a user name may look like (the owner of a job, the subject of a hub token). */
    public static final String USER_PATTERN = NewJob.OWNER_PATTERN;
    private static final Logger LOG = Logger.getLogger(Callers.class);

    private final ApiConfig.Auth config;
    private final Credentials credentials;
    private final Optional<OidcVerifier> oidc;
    /** The keys found, kept while the key tables do not change (at most 0.5 s after a change). */
    private final KeyCache<JobApiKey> keys;

    Callers(ApiConfig config, Credentials credentials) {
        this.config = config.auth();
        this.credentials = credentials;
        this.oidc = config.auth().oidc().verifier();
        this.keys = KeyCache.of(credentials);
    }

    void checkAtStart(@Observes StartupEvent event) {
        config.anonymousUser().ifPresent(user -> {
            LOG.warnf("jobflow.api.auth.anonymous-user is set: requests without an identity are allowed and act as "
                    + "user '%s' with the role %s. For local development only; never set it in production.", user,
                    config.anonymousRole());
        });
        if (config.trustProxyHeader()) {
            LOG.infof("trusting the user header %s: every request must come through the authenticating proxy",
                    config.userHeader());
        }
        oidc.ifPresent(verifier -> LOG.infof("accepting OIDC bearer tokens of %s (audience %s)", verifier.issuer(),
                config.oidc().audience()));
    }

    /** The caller, or a failure with {@link UnauthorizedException} saying what is missing or wrong. */
    public Uni<Caller> identify(HttpHeaders headers) {
        String xApiKey = headers.getHeaderString(ApiKeyHeaders.X_API_KEY);
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        String bearer = ApiKeyHeaders.presented(null, authorization).orElse(null);
        if (oidc.isPresent() && OidcVerifier.looksLikeJwt(bearer)) {
            return person(oidc.get(), bearer);
        }
        if (ApiKeyHeaders.anyPresented(xApiKey, authorization)) {
            // a credential that is presented is checked, never passed over for the proxy or anonymous user
            Optional<String> key = ApiKeyHeaders.presented(xApiKey, authorization);
            if (key.isEmpty()) {
                return Uni.createFrom().failure(new UnauthorizedException("the credential is empty or not an API key: "
                        + "send Authorization: Bearer <key> or X-Api-Key: <key>"));
            }
            if (key.get().length() > ApiKeyHeaders.MAX_KEY_LENGTH) {
                return refused();
            }
            return keys.get(ApiKeyHeaders.sha256(key.get()), credentials::jobApiKey)
                    .onItem().transformToUni(found -> found.isPresent()
                            ? Uni.createFrom().item(new Caller(found.get().name(), Caller.Via.KEY,
                                    Role.named(found.get().role()).orElse(Role.VIEWER), found.get().queues()))
                            : refused());
        }
        if (config.trustProxyHeader()) {
            String user = headers.getHeaderString(config.userHeader());
            if (user != null && !user.isBlank()) {
                return user.strip().matches(USER_PATTERN)
                        ? Uni.createFrom().item(person(user.strip(), Caller.Via.PROXY,
                                groups(headers.getHeaderString(config.groupsHeader()))))
                        : Uni.createFrom().failure(new UnauthorizedException("the " + config.userHeader()
                                + " header does not name a valid user (1-100 letters, digits or _ . @ -)"));
            }
        }
        return config.anonymousUser()
                .map(user -> Uni.createFrom().item(new Caller(user, Caller.Via.ANONYMOUS,
                        Role.named(config.anonymousRole()).orElseThrow())))
                .orElseGet(() -> Uni.createFrom().failure(new UnauthorizedException("this request needs an identity: "
                        + "an API key (Authorization: Bearer <key> or X-Api-Key)"
                        + (config.trustProxyHeader() ? " or the " + config.userHeader() + " header of the proxy" : ""))));
    }

    /** The person an OIDC token names (verified off the event loop: the keys may have to be fetched). */
    private Uni<Caller> person(OidcVerifier verifier, String token) {
        return Uni.createFrom().<Caller> emitter(emitter -> {
            try {
                OidcVerifier.Identity identity = verifier.verify(token);
                emitter.complete(person(identity.user(), Caller.Via.OIDC, identity.groups()));
            } catch (OidcVerifier.Refused e) {
                emitter.fail(new UnauthorizedException(e.getMessage()));
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The groups of a comma-separated header value. */
    static Set<String> groups(String header) {
        return header == null ? Set.of()
                : Arrays.stream(header.split(",")).map(String::strip).filter(g -> !g.isEmpty())
                        .collect(Collectors.toSet());
    }

    /**
     * A person with what their groups give: admin, operator (of every queue), operator of the queues
     * named by {@code <queue-operator-group-prefix><queue>} groups, else viewer.
     */
    Caller person(String user, Caller.Via via, Set<String> groups) {
        if (config.adminGroups().stream().anyMatch(groups::contains)) {
            return new Caller(user, via, Role.ADMIN);
        }
        if (config.operatorGroups().stream().anyMatch(groups::contains)) {
            return new Caller(user, via, Role.OPERATOR);
        }
        String prefix = config.queueOperatorGroupPrefix();
        Set<String> queues = prefix.isEmpty() ? Set.of()
                : groups.stream().filter(g -> g.startsWith(prefix)).map(g -> g.substring(prefix.length()))
                        .filter(queue -> queue.matches(SubmitJobRequest.QUEUE_PATTERN)).collect(Collectors.toSet());
        return queues.isEmpty() ? new Caller(user, via, Role.VIEWER) : new Caller(user, via, Role.OPERATOR, queues);
    }

    private static Uni<Caller> refused() {
        return Uni.createFrom().failure(new UnauthorizedException("the API key is unknown or revoked"));
    }
}
