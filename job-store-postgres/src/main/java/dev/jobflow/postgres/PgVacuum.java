package dev.jobflow.postgres;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Keeps pruned tables bounded in bytes as well as rows on a server whose autovacuum is off: after
 * a retention pass deleted rows, it vacuums the tables it pruned, so their space is reused. With
 * autovacuum on (PostgreSQL's default) it does nothing: autovacuum does this better.
 *
 * A vacuum that fails (e.g. the service user does not own the table) is logged once and never
 * fails the pass that called it.
 */
final class PgVacuum {
    private static final Logger LOG = Logger.getLogger(PgVacuum.class);

    private final Pool pool;
    private final String statement;
    /** Null until the server was asked. */
    private volatile Boolean autovacuumOff;
    private volatile boolean warned;

    /** @param tables the tables one pass prunes, comma-separated */
    PgVacuum(Pool pool, String tables) {
        this.pool = pool;
        this.statement = "vacuum (skip_locked) " + tables;
    }

    /** After rows were deleted: vacuums when the server's autovacuum is off. */
    Uni<Void> afterDelete() {
        Uni<Boolean> off = autovacuumOff != null ? Uni.createFrom().item(autovacuumOff)
                : pool.query("select current_setting('autovacuum') = 'off' as off").execute()
                        .map(rows -> rows.iterator().next().getBoolean("off"))
                        .invoke(value -> {
                            if (value && autovacuumOff == null) {
                                LOG.infof("autovacuum is off on this PostgreSQL server: retention vacuums what it "
                                        + "prunes (%s)", statement);
                            }
                            autovacuumOff = value;
                        });
        // VACUUM runs outside a transaction block: the simple protocol, one statement
        return off.flatMap(vacuum -> vacuum ? pool.query(statement).execute().replaceWithVoid()
                : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(e -> {
                    if (!warned) {
                        warned = true;
                        LOG.warnf("could not vacuum after retention (%s): %s", statement, e.getMessage());
                    }
                    return Uni.createFrom().voidItem();
                });
    }
}
