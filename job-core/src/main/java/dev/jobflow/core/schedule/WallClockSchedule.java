package dev.jobflow.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * A schedule of wall-clock times in a zone: the days of a {@link DayRule} at the {@link TimesOfDay}.
 * Cron and daily-or-coarser calendars are both this.
 * <p>
 * Wall times become instants the way {@link ZonedDateTime#ofLocal} does it: a time inside a
 * spring-forward gap moves forward by the gap (02:30 becomes 03:30), a time inside a fall-back
 * overlap takes the earlier offset, so it fires once. Times are taken in wall-clock order and the
 * answer is the first whose instant is strictly after {@code after}; asking again from that answer
 * therefore never repeats it and never goes back, which drops a gap-shifted time that lands on or
 * before one already produced (every-15-minutes fires once at 03:00 on spring-forward day, not
 * twice).
 */
final class WallClockSchedule implements Schedule {

    /** Gap shifts move a wall time later by at most a day (Samoa skipped 2011-12-30), so start looking that far back. */
    private static final int LOOK_BACK_DAYS = 2;

    private final DayRule days;
    private final TimesOfDay times;
    private final ZoneId zone;

    WallClockSchedule(DayRule days, TimesOfDay times, ZoneId zone) {
        this.days = days;
        this.times = times;
        this.zone = zone;
    }

    @Override
    public Optional<Instant> next(Instant after, Instant limit) {
        ZoneRules rules = zone.getRules();
        LocalDate lastDay = LocalDateTime.ofInstant(limit, zone).toLocalDate().plusDays(1);
        LocalDateTime local = firstAtOrAfter(LocalDateTime.ofInstant(after, zone).minusDays(LOOK_BACK_DAYS), lastDay);
        while (local != null) {
            Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
            if (at.isAfter(after)) {
                return at.isAfter(limit) ? Optional.empty() : Optional.of(at);
            }
            // Wall times up to local + (after - at) map to instants up to `after` as long as the offset
            // does not drop; jumping there keeps an every-second schedule from walking second by second.
            LocalDateTime skipTo = local.plus(Duration.between(at, after));
            ZoneOffsetTransition transition = rules.nextTransition(at);
            while (transition != null && !transition.getInstant().isAfter(after)) {
                if (transition.isOverlap()) {
                    // From the end of the overlap's wall times on, the lower offset makes instants later.
                    LocalDateTime overlapEnd = transition.getDateTimeBefore().minusNanos(1);
                    if (overlapEnd.isBefore(skipTo)) {
                        skipTo = overlapEnd;
                    }
                    break;
                }
                transition = rules.nextTransition(transition.getInstant());
            }
            LocalDateTime from = skipTo.plusNanos(1);
            if (!from.isAfter(local)) {
                from = local.plusSeconds(1);
            }
            local = firstAtOrAfter(from, lastDay);
        }
        return Optional.empty();
    }

    /** The first matching wall time at or after {@code from}, on a day no later than {@code lastDay}. */
    private LocalDateTime firstAtOrAfter(LocalDateTime from, LocalDate lastDay) {
        LocalDateTime start = from.getNano() == 0 ? from : from.withNano(0).plusSeconds(1);
        LocalDate date = start.toLocalDate();
        LocalTime time = start.toLocalTime();
        while (!date.isAfter(lastDay)) {
            if (!days.monthMayMatch(date.getMonthValue())) {
                date = date.withDayOfMonth(1).plusMonths(1);
                time = LocalTime.MIDNIGHT;
                continue;
            }
            if (days.matches(date)) {
                LocalTime found = times.firstAtOrAfter(time);
                if (found != null) {
                    return date.atTime(found);
                }
            }
            date = date.plusDays(1);
            time = LocalTime.MIDNIGHT;
        }
        return null;
    }
}
