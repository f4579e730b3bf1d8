package dev.jobflow.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records the application writes while a test runs (a @QuarkusTest shares the JVM's log
 * manager with the application): attached to the root logger by {@link #capture()}, detached by
 * {@link #close()}. Each line keeps its level, logger, formatted message and whether it carried a
 * throwable (a stack trace).
 */
public final class LogLines extends Handler implements AutoCloseable {

    /** One captured record. */
    public record Line(Level level, String logger, String message, boolean stackTrace) {
        @Override
        public String toString() {
            return level + " [" + logger + "] " + message + (stackTrace ? " (with a stack trace)" : "");
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogLines() {
    }

    public static LogLines capture() {
        LogLines handler = new LogLines();
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
        return handler;
    }

    /** The lines captured so far at {@code level} or above. */
    public List<Line> atLeast(Level level) {
        return lines.stream().filter(l -> l.level().intValue() >= level.intValue()).toList();
    }

    public List<Line> all() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(new Line(record.getLevel(), record.getLoggerName(), formatted(record), record.getThrown() != null));
    }

    /** The message with its parameters filled in (JBoss's records format their own printf-style messages). */
    private static String formatted(LogRecord record) {
        try {
            Object message = record.getClass().getMethod("getFormattedMessage").invoke(record);
            return String.valueOf(message);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return String.valueOf(record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
