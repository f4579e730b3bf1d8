package dev.jobflow.core.schedule;

/**
 * A cron or calendaring expression that cannot be parsed. Users paste these from crontabs and from
 * Oracle's DBMS_SCHEDULER, so the message names the exact part that is wrong and what it may be;
 * {@link #part()} gives that part alone, for an API error that points at a field.
 */
public final class ScheduleExpressionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String part;

    /**
     * Public so that code checking what surrounds an expression (its time zone, say) can fail the
     * same way; {@code message} should name {@code part} and what it may be.
     */
    public ScheduleExpressionException(String part, String message) {
        super(message);
        this.part = part;
    }

    /** The part that is wrong, e.g. {@code minute field '61'}, {@code BYHOUR=25} or {@code FREQ}. */
    public String part() {
        return part;
    }
}
