package dev.jobflow.oracle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.oracle.OracleParser;

/**
 * A script of sql/oracle as SQL*Plus would run it, split into statements by Flyway's own Oracle
 * parser (each PL/SQL unit one statement, ended by "/"). The scripts a DBA runs by hand
 * (service_user.sql) take positional arguments {@code &1}, {@code &2}, ...; {@link #run} replaces
 * them as SQL*Plus does and leaves out the SQL*Plus settings ({@code whenever}, {@code set}).
 */
public final class SqlPlusScript {
    /** sql/oracle, seen from a module of the build. */
    public static final Path DIR = Path.of("..", "sql", "oracle");

    private SqlPlusScript() {
    }

    /** The statements of a script's text, as Flyway (and SQL*Plus) run them, in order. */
    public static List<String> statements(String text) {
        OracleParser parser = new OracleParser(new FluentConfiguration(), new ParsingContext());
        List<String> result = new ArrayList<>();
        try (SqlStatementIterator it = parser.parse(new StringResource(text))) {
            while (it.hasNext()) {
                SqlStatement statement = it.next();
                result.add(statement.getSql());
            }
        }
        return result;
    }

    /**
     * The statements of {@code sql/oracle/<name>} with {@code &1..&n} replaced by {@code args} (an
     * argument followed by "." ends there, as in SQL*Plus: {@code &1..x} is {@code <arg>.x}).
     */
    public static List<String> run(String name, String... args) {
        String text = read(DIR.resolve(name)).replaceAll("(?im)^(whenever|set) [^\n]*\n", "");
        for (int i = args.length; i >= 1; i--) {
            text = text.replace("&" + i + ".", args[i - 1]).replace("&" + i, args[i - 1]);
        }
        return statements(text);
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
