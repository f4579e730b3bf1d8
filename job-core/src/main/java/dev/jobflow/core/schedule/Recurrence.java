package dev.jobflow.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a recurring job fires: a cron expression or an Oracle DBMS_SCHEDULER calendaring expression,
 * read in a time zone. Jobs move here from crontabs and from Oracle, so both syntaxes are accepted
 * as users wrote them, and both are answered in wall-clock time of {@link #zone()}: a daily 02:30
 * job runs once on a DST change day, never twice and never not at all (see {@link WallClockSchedule}).
 * <p>
 * Immutable and thread-safe; {@link #next(Instant)} never reads the clock, callers pass the instant.
 */
public final class Recurrence {

    /** How far ahead {@link #next(Instant)} looks before it concludes an expression never fires again. */
    private static final int HORIZON_YEARS = 5;

    private final String kind;
    private final String expression;
    private final ZoneId zone;
    private final Schedule schedule;
    /** The anchor, for calendars: nothing fires before it. Null for cron. */
    private final Instant notBefore;

    private Recurrence(String kind, String expression, ZoneId zone, Schedule schedule, Instant notBefore) {
        this.kind = kind;
        this.expression = expression;
        this.zone = zone;
        this.schedule = schedule;
        this.notBefore = notBefore;
    }

    /**
     * Exactly one of cron / calendar must be non-null (else ScheduleExpressionException naming that).
     * {@code anchor} is needed for a calendar only.
     */
    public static Recurrence parse(String cron, String calendar, ZoneId zone, Instant anchor) {
        if ((cron == null) == (calendar == null)) {
            throw new ScheduleExpressionException("cron/calendar", "exactly one of cron and calendar must be given, "
                    + (cron == null ? "got neither" : "got both"));
        }
        return cron != null ? cron(cron, zone) : calendar(calendar, zone, anchor);
    }

    /** A 5-field (minute first) or 6-field (second first) cron expression, in Vixie cron's reading. */
    /**
     * As {@link #parse(String, String, ZoneId, Instant)} with the zone given by name: an unknown one
     * is refused like a wrong expression, naming the part {@code timeZone}.
     */
    public static Recurrence parse(String cron, String calendar, String timeZone, Instant anchor) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (java.time.DateTimeException e) {
            throw new ScheduleExpressionException("timeZone", "time zone '" + timeZone
                    + "' is not known (use a region such as Europe/Berlin, or UTC)");
        }
        return parse(cron, calendar, zone, anchor);
    }

    public static Recurrence cron(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        return new Recurrence("cron", expression, zone, CronExpression.parse(expression, zone), null);
    }

    /**
     * anchor: the schedule's start (DBMS_SCHEDULER's start_date); INTERVAL counts from it, and fields a
     * calendar leaves unset take the anchor's values as Oracle does. Nothing fires before it; it is
     * used to the second, as Oracle's DATE holds it.
     */
    public static Recurrence calendar(String expression, ZoneId zone, Instant anchor) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(anchor, "anchor");
        return new Recurrence("calendar", expression, zone, CalendarExpression.parse(expression, zone, anchor),
                anchor.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The first fire time strictly after {@code after}, or empty if there is none within 5 years. For a
     * calendar anchored later than {@code after} the 5 years count from the anchor, so a schedule that
     * starts far ahead is not taken for one that never fires.
     */
    public Optional<Instant> next(Instant after) {
        Objects.requireNonNull(after, "after");
        Instant from = notBefore != null && after.isBefore(notBefore) ? notBefore.minusNanos(1) : after;
        Instant limit = from.atZone(zone).plusYears(HORIZON_YEARS).toInstant();
        return schedule.next(from, limit);
    }

    /** The next n fire times strictly after {@code after} (fewer if the expression ends). */
    public List<Instant> next(Instant after, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        List<Instant> times = new ArrayList<>(Math.min(n, 64)); // n may be far more than the expression yields
        Instant from = after;
        while (times.size() < n) {
            Optional<Instant> next = next(from);
            if (next.isEmpty()) {
                break;
            }
            from = next.get();
            times.add(from);
        }
        return times;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return kind + " '" + expression + "' in " + zone;
    }
}
