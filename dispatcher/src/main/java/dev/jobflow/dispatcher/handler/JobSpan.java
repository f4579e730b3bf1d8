package dev.jobflow.dispatcher.handler;

/**
 * A span a handler opened with {@link JobContext#span(String)}: a child of the job's run span (or of the
 * handler's enclosing span), current on the handler's thread until closed. Close it on the thread that
 * opened it (try-with-resources). With tracing off it is {@link #NONE} and costs nothing.
 */
public interface JobSpan extends AutoCloseable {

    /** The span of a run without tracing: every call does nothing. */
    JobSpan NONE = new JobSpan() {
        @Override
        public JobSpan attribute(String key, String value) {
            return this;
        }

        @Override
        public JobSpan attribute(String key, long value) {
            return this;
        }

        @Override
        public void close() {
        }
    };

    /** Sets a string attribute on the span. */
    JobSpan attribute(String key, String value);

    /** Sets a number attribute on the span. */
    JobSpan attribute(String key, long value);

    /** Ends the span and restores the span that was current before it. */
    @Override
    void close();
}
