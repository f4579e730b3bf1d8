package dev.jobflow.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.store.NamedQueries;

/**
 * The job search's statement can use jobs_search_ix (V017): its expression is the index's. With
 * sequential and plain index scans priced out, only a bitmap scan of the trigram index remains;
 * were the two expressions to drift apart, the plan would fall back to a scan of the table. The
 * plans at a million rows (the index chosen on its own) are in docs/search.md.
 */
class PgSearchIndexTest {
    private PgStoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = PgStoreFixture.open("searchix");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theSearchStatementUsesTheTrigramIndex() {
        fixture.update("insert into jobs (name, owner, type, params) select 'job ' || g, 'alice', 'demo', "
                + "jsonb_build_object('n', g) from generate_series(1, 2000) g");
        fixture.update("analyze jobs");
        String search = NamedQueries.load("db/queries/postgres/jobs.sql").get("search_jobs");

        List<String> plan = fixture.pool().withConnection(conn -> conn.query("set enable_seqscan = off").execute()
                .chain(() -> conn.query("set enable_indexscan = off").execute())
                .chain(() -> conn.preparedQuery("explain (costs off) " + search)
                        .execute(Tuple.tuple().addValue("%needle%").addValue(null).addValue(null).addValue(null)
                                .addValue(null).addValue(null).addValue(51))))
                .map(rows -> {
                    List<String> lines = new ArrayList<>();
                    for (Row row : rows) {
                        lines.add(row.getString(0));
                    }
                    return lines;
                }).await().indefinitely();

        assertThat(String.join("\n", plan)).contains("Bitmap Index Scan on jobs_search_ix");
    }
}
