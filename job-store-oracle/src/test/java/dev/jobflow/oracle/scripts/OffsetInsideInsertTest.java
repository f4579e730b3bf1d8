package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * A progress offset is taken inside the INSERT that writes it, in every path (issue 16): an offset
 * taken before (a SELECT of NEXTVAL) exists while its writer holds no transaction yet, and a tailer
 * whose read falls in that gap finds no live writer and skips the hole for good. The trigger and
 * jobflow_api.send use the column default; so must the adapter.
 */
class OffsetInsideInsertTest {

    @Test
    void noStatementTakesAProgressOffsetOutsideItsInsert() throws IOException {
        String statements = Files.readString(OracleScripts.ORACLE.resolve("queries").resolve("progress.sql"));
        assertThat(statements).doesNotContainIgnoringCase("progress_log_id_seq.nextval")
                .containsIgnoringCase("insert into progress_log (room, payload) values (?, ?)");
        String adapter = Files.readString(Path.of("src", "main", "java", "dev", "jobflow", "oracle", "OracleProgressLog.java"));
        assertThat(adapter).doesNotContain("next_offsets");
        for (Path script : OracleScripts.migrations(OracleScripts.ORACLE).values()) {
            String text = Files.readString(script).toLowerCase();
            int at = text.indexOf("progress_log_id_seq.nextval");
            while (at >= 0) {
                String before = text.substring(Math.max(0, at - 40), at);
                assertThat(before).as(script + ": progress_log_id_seq.nextval only as the id column's default")
                        .contains("default");
                at = text.indexOf("progress_log_id_seq.nextval", at + 1);
            }
        }
    }
}
