package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/**
 * list_jobs binds its optional id bound typed (issue 16): a null arrives as a VARCHAR2 null, and
 * "id < nvl(?, id + 1)" converted it implicitly and compared id with an expression of id, so the
 * id range could not use the primary key index.
 */
class ListJobsBindTest {

    @Test
    void theIdBoundIsCastAndComparedWithAConstant() throws IOException {
        String jobs = Files.readString(OracleScripts.ORACLE.resolve("queries").resolve("jobs.sql"));
        String listJobs = jobs.substring(jobs.indexOf("-- name: list_jobs"), jobs.indexOf("-- name: cancel_job"));
        assertThat(listJobs).contains("id < nvl(cast(? as number(19)), 10000000000000000000)")
                .doesNotContain("id + 1");
    }
}
