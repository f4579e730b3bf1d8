package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Cancel only marks the job (issue 16): nothing dequeues a message by its id, which would wait for
 * a claimer holding that message locked while the claimer waits for the job row the cancel holds.
 * Claimers drop a message whose job is no longer QUEUED with that queue_msgid.
 */
class CancelOnlyMarksTest {

    @Test
    void theLatestEnqueueTriggerDequeuesNothing() throws IOException {
        String latest = null;
        for (Path script : OracleScripts.migrations(OracleScripts.ORACLE).values()) {
            String text = Files.readString(script).toLowerCase();
            int at = text.indexOf("create or replace trigger jobs_enqueue");
            if (at >= 0) {
                latest = text.substring(at, text.indexOf("\n/\n", at));
            }
        }
        assertThat(latest).isNotNull().doesNotContain("dbms_aq.dequeue").doesNotContain("dequeue_options");
    }

    @Test
    void theAdapterNeverDequeuesByMessageId() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("setDequeueMsgId")
                        .doesNotContainIgnoringCase("dequeue_options.msgid");
            }
        }
        assertThat(Files.readString(OracleScripts.ORACLE.resolve("queries").resolve("jobs.sql")))
                .doesNotContainIgnoringCase("dbms_aq.dequeue");
    }
}
