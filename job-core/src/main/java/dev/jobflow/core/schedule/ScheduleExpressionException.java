package dev.jobflow.core.schedule;

/** STUB until the recurrence branch lands. */
public final class ScheduleExpressionException extends IllegalArgumentException {
    private final String part;

    public ScheduleExpressionException(String part, String message) {
        super(message);
        this.part = part;
    }

    public String part() {
        return part;
    }
}
