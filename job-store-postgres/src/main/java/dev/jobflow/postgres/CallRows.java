package dev.jobflow.postgres;

import java.util.List;
import java.util.NoSuchElementException;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.sqlclient.PropertyKind;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.desc.ColumnDescriptor;

/**
 * One call's answer out of a statement that served many calls of the group commit
 * ({@code submit_jobs}: one row per call): that call's row, or no row where its id is null (the
 * statement inserted nothing for it), as the call's own statement would have answered.
 */
final class CallRows implements io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> {
    private final io.vertx.sqlclient.Row row;

    private CallRows(io.vertx.sqlclient.Row row) {
        this.row = row;
    }

    static RowSet<Row> of(Row row) {
        return RowSet.newInstance(new CallRows(row.getLong("id") == null ? null : row.getDelegate()), Row.__TYPE_ARG);
    }

    /** No row: the answer of a call nobody reads (an audit row's insert). */
    static RowSet<Row> none() {
        return RowSet.newInstance(new CallRows(null), Row.__TYPE_ARG);
    }

    @Override
    public RowIterator<io.vertx.sqlclient.Row> iterator() {
        return new RowIterator<>() {
            private boolean done = row == null;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public io.vertx.sqlclient.Row next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                done = true;
                return row;
            }
        };
    }

    @Override
    public int rowCount() {
        return size();
    }

    @Override
    public int size() {
        return row == null ? 0 : 1;
    }

    @Override
    public List<String> columnsNames() {
        return row == null ? List.of()
                : java.util.stream.IntStream.range(0, row.size()).mapToObj(row::getColumnName)
                        .toList();
    }

    @Override
    public List<ColumnDescriptor> columnDescriptors() {
        return List.of();
    }

    @Override
    public <V> V property(PropertyKind<V> kind) {
        return null;
    }

    @Override
    public io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> value() {
        return this;
    }

    @Override
    public io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> next() {
        return null;
    }
}
