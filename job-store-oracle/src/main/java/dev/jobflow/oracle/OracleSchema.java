package dev.jobflow.oracle;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schema that owns the Jobflow objects (the one the scripts of sql/oracle were run in). A
 * service may log in as that owner or as a service user granted their use
 * (sql/oracle/service_user.sql); either way every session it opens works in the owner's schema
 * ({@code ALTER SESSION SET CURRENT_SCHEMA}, {@code Connection.setSchema}), so the named statements
 * need no prefix, and the AQ calls name the queue with its owner.
 *
 * @param owner an upper-case Oracle identifier
 */
public record OracleSchema(String owner) {
    /** A plain (unquoted) Oracle identifier: what CURRENT_SCHEMA and a qualified AQ name take as they are. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_$#]{0,127}");

    public OracleSchema {
        if (owner == null || !IDENTIFIER.matcher(owner).matches()) {
            throw new IllegalArgumentException("jobflow.store.oracle.schema must be a plain Oracle identifier "
                    + "(letters, digits, _ $ #, starting with a letter), got: " + owner);
        }
        owner = owner.toUpperCase(Locale.ROOT);
    }

    /** The configured schema, else the login user's own (the owner logs in itself). */
    public static OracleSchema of(Optional<String> configured, String loginUser) {
        return new OracleSchema(configured.filter(s -> !s.isBlank()).map(String::strip).orElse(loginUser));
    }

    /** The statement that makes a session of the reactive pool resolve names in the owner's schema. */
    public String alterSession() {
        return "alter session set current_schema = " + owner;
    }
}
