package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A DBA installs the Oracle schema by following docs/oracle-install.md line by line, not by
 * reading sql/oracle: the guide's install list must name every migration, in version order, and
 * its table of created objects must say what each version adds. A script missing from the guide
 * is an ORA-00942 at the first statement that needs it.
 */
class InstallGuideTest {
    private static final Path GUIDE = Path.of("..", "docs", "oracle-install.md");
    private static final Pattern RUN_LINE = Pattern.compile("(?m)^SQL> @(V[^\\s]+\\.sql)\\s*$");

    @Test
    void theInstallListRunsEveryMigrationInVersionOrder() throws IOException {
        String guide = Files.readString(GUIDE);
        List<String> listed = RUN_LINE.matcher(guide).results().map(m -> m.group(1)).toList();
        List<String> scripts = OracleScripts.migrations(OracleScripts.ORACLE).values().stream()
                .map(p -> p.getFileName().toString()).toList();

        assertThat(listed).as("the `SQL> @V…` lines of docs/oracle-install.md").containsExactlyElementsOf(scripts);
    }

    @Test
    void theObjectTableNamesWhatEachVersionCreates() throws IOException {
        String guide = Files.readString(GUIDE);
        for (Path script : OracleScripts.migrations(OracleScripts.ORACLE).values()) {
            Matcher version = Pattern.compile("^(V\\d+(?:_\\d+)*)__").matcher(script.getFileName().toString());
            assertThat(version.find()).isTrue();
            assertThat(guide).as("docs/oracle-install.md's object table has a row from " + version.group(1))
                    .containsPattern("\\| " + version.group(1) + "(, V[0-9_]+)* \\|");
        }
    }

    /**
     * Followed top to bottom, the guide creates the owner with the grants the tests give it, installs
     * every object, creates the service user, and removes the objects, the service user and the
     * owner again, in that order; every script it runs exists.
     */
    @Test
    void followedTopToBottomTheGuideCreatesAndRemovesTheOwnerTheServiceUserAndEveryObject() throws IOException {
        String guide = Files.readString(GUIDE);
        List<String> steps = new java.util.ArrayList<>();
        steps.add("create user jobflow identified by");
        dev.jobflow.oracle.testing.OracleTestSchema.GRANTS.forEach(g -> steps.add(g + ";"));
        OracleScripts.migrations(OracleScripts.ORACLE).values()
                .forEach(p -> steps.add("SQL> @" + p.getFileName()));
        steps.add("SQL> @service_user.sql jobflow jobflow_app \"change-me\"");
        steps.add("JOBFLOW_STORE_ORACLE_SCHEMA=jobflow");
        steps.add("SQL> @uninstall.sql");
        steps.add("SQL> @service_user_drop.sql jobflow_app");
        steps.add("drop user jobflow cascade;");
        int at = 0;
        for (String step : steps) {
            int found = guide.indexOf(step, at);
            assertThat(found).as("docs/oracle-install.md has, after the previous step: " + step).isNotNegative();
            at = found + step.length();
        }
        for (String script : List.of("service_user.sql", "service_user_drop.sql", "uninstall.sql")) {
            assertThat(OracleScripts.ORACLE.resolve(script)).exists();
        }
    }
}
