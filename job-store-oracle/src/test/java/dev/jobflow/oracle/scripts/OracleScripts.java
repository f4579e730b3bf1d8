package dev.jobflow.oracle.scripts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.jobflow.oracle.testing.SqlPlusScript;

/** The migration scripts of sql/ as files, split into statements by Flyway's own Oracle parser. */
final class OracleScripts {
    static final Path SQL = Path.of("..", "sql");
    static final Path ORACLE = SQL.resolve("oracle");
    static final Path POSTGRES = SQL.resolve("postgres");
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:_\\d+)*)__([A-Za-z0-9_]+)\\.sql");

    private OracleScripts() {
    }

    /** Version (as Flyway orders it) to file, for the versioned scripts of one directory. */
    static TreeMap<String, Path> migrations(Path dir) {
        TreeMap<String, Path> byVersion = new TreeMap<>(OracleScripts::compareVersions);
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches())
                    .forEach(f -> {
                        if (byVersion.put(version(f), f) != null) {
                            throw new IllegalStateException("two scripts with version " + version(f) + " in " + dir);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byVersion;
    }

    static String version(Path file) {
        StringBuilder version = new StringBuilder();
        for (String part : matcher(file).group(1).split("_")) {
            version.append(version.isEmpty() ? "" : ".").append(Long.parseLong(part));
        }
        return version.toString();
    }

    static String description(Path file) {
        return matcher(file).group(2);
    }

    /** The statements of a script, as Flyway would run them, in order. */
    static List<String> statements(Path file) {
        return SqlPlusScript.statements(read(file)).stream().map(OracleScripts::withoutLeadingComments).toList();
    }

    /** Flyway keeps the comment lines before a statement with it; the checks look at the code. */
    static String withoutLeadingComments(String sql) {
        String rest = sql.strip();
        while (rest.startsWith("--")) {
            int newline = rest.indexOf('\n');
            rest = newline < 0 ? "" : rest.substring(newline + 1).strip();
        }
        return rest;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All migrations of sql/oracle, lower case, for name checks. */
    static String allOracleText() {
        StringBuilder text = new StringBuilder();
        migrations(ORACLE).values().forEach(f -> text.append(read(f)).append('\n'));
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static Matcher matcher(Path file) {
        Matcher m = VERSIONED.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a versioned migration: " + file);
        }
        return m;
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }
}
