package dev.jobflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

class StoreUnavailableTest {

    private static DatabaseException db(String message, int code, String state) {
        return new DatabaseException(message, code, state, null) {
        };
    }

    @Test
    void aDatabaseThatCannotBeReachedIsUnavailable() {
        assertThat(StoreUnavailable.causedBy(new CompletionException(ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(StoreUnavailable.causedBy(new RuntimeException(new java.net.ConnectException("refused")))).isTrue();
        assertThat(StoreUnavailable.causedBy(db("terminating connection due to administrator command", 0, "57P01")))
                .isTrue();
        assertThat(StoreUnavailable.causedBy(db("database \"x\" is not currently accepting connections", 0, "55000")))
                .isTrue();
        assertThat(StoreUnavailable.causedBy(db("connection failure", 0, "08006"))).isTrue();
        assertThat(StoreUnavailable.causedBy(db("ORA-03113: end-of-file on communication channel", 3113, "08000")))
                .isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(StoreUnavailable.causedBy(db("duplicate key", 0, "23505"))).isFalse();
        assertThat(StoreUnavailable.causedBy(db("currval of sequence is not yet defined", 0, "55000"))).isFalse();
        assertThat(StoreUnavailable.causedBy(new IllegalStateException("bug"))).isFalse();
    }
}
