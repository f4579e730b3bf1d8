package dev.jobflow.core.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;

/**
 * The days a calendaring expression may fire on: its BYMONTH, BYMONTHDAY and BYDAY filters and,
 * for daily-or-coarser frequencies, every INTERVAL-th period counted from the anchor's period.
 * A null filter lets every day through.
 */
final class CalendarDays implements DayRule {

    /** One BYDAY entry: {@code ordinal} 0 for every such weekday, 1 for the first, -1 for the last. */
    record WeekDay(int ordinal, DayOfWeek day) {
    }

    private final BitSet months;
    private final int[] monthDays;
    private final List<WeekDay> weekDays;
    /** Whether a numbered weekday counts within the year (YEARLY without BYMONTH) rather than the month. */
    private final boolean ordinalsInYear;
    /** DAYS, WEEKS, MONTHS or YEARS; null when INTERVAL steps on the timeline instead. */
    private final ChronoUnit period;
    private final int interval;
    private final LocalDate anchorDate;

    CalendarDays(BitSet months, int[] monthDays, List<WeekDay> weekDays, boolean ordinalsInYear, ChronoUnit period,
            int interval, LocalDate anchorDate) {
        this.months = months;
        this.monthDays = monthDays;
        this.weekDays = weekDays;
        this.ordinalsInYear = ordinalsInYear;
        this.period = period;
        this.interval = interval;
        this.anchorDate = anchorDate;
    }

    @Override
    public boolean matches(LocalDate date) {
        if (period != null && (date.isBefore(anchorDate) || periodsSinceAnchor(date) % interval != 0)) {
            return false;
        }
        if (months != null && !months.get(date.getMonthValue())) {
            return false;
        }
        if (monthDays != null && !matchesMonthDay(date)) {
            return false;
        }
        return weekDays == null || matchesWeekDay(date);
    }

    @Override
    public boolean monthMayMatch(int month) {
        return months == null || months.get(month);
    }

    private long periodsSinceAnchor(LocalDate date) {
        return switch (period) {
            case DAYS -> ChronoUnit.DAYS.between(anchorDate, date);
            // Weeks start on Monday, so count Monday to Monday.
            case WEEKS -> ChronoUnit.DAYS.between(monday(anchorDate), monday(date)) / 7;
            case MONTHS -> ChronoUnit.MONTHS.between(YearMonth.from(anchorDate), YearMonth.from(date));
            case YEARS -> date.getYear() - anchorDate.getYear();
            default -> throw new IllegalStateException("no calendar period " + period);
        };
    }

    private static LocalDate monday(LocalDate date) {
        return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private boolean matchesMonthDay(LocalDate date) {
        int day = date.getDayOfMonth();
        int fromEnd = day - date.lengthOfMonth() - 1; // -1 on the last day
        for (int wanted : monthDays) {
            if (wanted == day || wanted == fromEnd) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesWeekDay(LocalDate date) {
        for (WeekDay wanted : weekDays) {
            if (wanted.day() != date.getDayOfWeek()) {
                continue;
            }
            if (wanted.ordinal() == 0) {
                return true;
            }
            int index = ordinalsInYear ? date.getDayOfYear() : date.getDayOfMonth();
            int length = ordinalsInYear ? date.lengthOfYear() : date.lengthOfMonth();
            int fromStart = (index - 1) / 7 + 1;
            int fromEnd = -((length - index) / 7 + 1);
            if (wanted.ordinal() == fromStart || wanted.ordinal() == fromEnd) {
                return true;
            }
        }
        return false;
    }
}
