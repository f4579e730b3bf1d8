package dev.jobflow.core.runtime;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The connection settings every SQL backend reads ({@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password}; {@code JOBFLOW_DB_URL},
 * {@code JOBFLOW_DB_USER}, {@code JOBFLOW_DB_PASSWORD} in the services), produced once by
 * {@link StoreProducer}.
 *
 * @param url the JDBC URL, if set
 * @param user the user name, if set
 * @param password the password, if set
 */
public record DataSourceSettings(Optional<String> url, Optional<String> user, Optional<String> password) {

    /**
     * The URL, checked by {@code check} (which throws {@link IllegalArgumentException} for a URL of
     * the wrong shape).
     *
     * @param backend the backend's name in {@code jobflow.store.backend}, for the message
     * @param shape what a right URL looks like, for the message
     * @throws IllegalStateException naming the setting when the URL is missing or wrong
     */
    public String requireUrl(String backend, String shape, Consumer<String> check) {
        if (url.isEmpty() || url.get().isBlank()) {
            throw new IllegalStateException("jobflow.store.backend=" + backend + " needs quarkus.datasource.jdbc.url "
                    + "(JOBFLOW_DB_URL in the services; " + shape + ")");
        }
        try {
            check.accept(url.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + ": set quarkus.datasource.jdbc.url"
                    + " (JOBFLOW_DB_URL in the services)", e);
        }
        return url.get();
    }
}
