package dev.jobflow.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.Optional;

/**
 * A sub-daily calendar (HOURLY, MINUTELY, SECONDLY): fire times sit on a grid on the absolute
 * timeline, {@code firstPeriod + k * step + offset} for each offset within a period, so
 * {@code FREQ=HOURLY;INTERVAL=2} stays two real hours apart across a DST change. The BY filters
 * then look at each grid time's wall clock in the zone.
 * <p>
 * A grid time that fails a filter is never followed second by second: the search jumps to the
 * next day, hour, minute or second that the filters allow and takes the first grid time from there,
 * so {@code FREQ=SECONDLY;BYHOUR=9} asked at 10:00 lands on tomorrow's 09:00:00 in a few steps.
 */
final class TimelineSchedule implements Schedule {

    private static final long SECONDS_PER_DAY = 86_400;

    private final long firstPeriod;
    private final long step;
    /** Seconds into a period at which it fires, ascending, each below the period's length. */
    private final long[] offsets;
    private final long notBefore;
    private final DayRule days;
    /** Null lets every value through. */
    private final BitSet hours;
    private final BitSet minutes;
    private final BitSet seconds;
    private final ZoneId zone;

    TimelineSchedule(long firstPeriod, long step, long[] offsets, long notBefore, DayRule days, BitSet hours,
            BitSet minutes, BitSet seconds, ZoneId zone) {
        this.firstPeriod = firstPeriod;
        this.step = step;
        this.offsets = offsets.clone();
        this.notBefore = notBefore;
        this.days = days;
        this.hours = hours;
        this.minutes = minutes;
        this.seconds = seconds;
        this.zone = zone;
    }

    @Override
    public Optional<Instant> next(Instant after, Instant limit) {
        long limitSecond = limit.getEpochSecond();
        LocalDate lastDay = LocalDateTime.ofInstant(limit, zone).toLocalDate().plusDays(1);
        long lower = Math.max(after.getEpochSecond() + 1, notBefore);
        while (true) {
            long candidate = firstOnGridAtOrAfter(lower);
            if (candidate > limitSecond) {
                return Optional.empty();
            }
            Instant at = Instant.ofEpochSecond(candidate);
            LocalDateTime local = LocalDateTime.ofInstant(at, zone);
            LocalDateTime wanted = nextAllowed(local, lastDay);
            if (wanted == null) {
                return Optional.empty();
            }
            if (wanted.equals(local)) {
                return Optional.of(at);
            }
            if (step % SECONDS_PER_DAY == 0 && offsets.length == 1 && days.matches(local.toLocalDate())) {
                // Whole-day steps with one fire time per period keep the same wall time of day until the
                // offset changes; a time of day the filters refuse stays refused until then (HOURLY;INTERVAL=24;
                // BYHOUR=9 anchored at 10:00 would otherwise be tried day by day for five years).
                ZoneOffsetTransition change = zone.getRules().nextTransition(at);
                if (change == null) {
                    return Optional.empty();
                }
                lower = change.getInstant().getEpochSecond();
                continue;
            }
            lower = jump(candidate, local, wanted);
        }
    }

    private long firstOnGridAtOrAfter(long lower) {
        long period = Math.floorDiv(lower - firstPeriod, step);
        for (long k = period;; k++) {
            long base = firstPeriod + k * step;
            for (long offset : offsets) {
                if (base + offset >= lower) {
                    return base + offset;
                }
            }
        }
    }

    /**
     * {@code local} itself if the filters allow it, else the first wall time after it that they might
     * allow (the start of the next allowed day, hour, minute or second); null if no day is left.
     */
    private LocalDateTime nextAllowed(LocalDateTime local, LocalDate lastDay) {
        if (!days.matches(local.toLocalDate())) {
            return nextDay(local.toLocalDate(), lastDay);
        }
        if (hours != null && !hours.get(local.getHour())) {
            int hour = hours.nextSetBit(local.getHour() + 1);
            return hour < 0 ? nextDay(local.toLocalDate(), lastDay) : local.toLocalDate().atTime(hour, 0);
        }
        if (minutes != null && !minutes.get(local.getMinute())) {
            int minute = minutes.nextSetBit(local.getMinute() + 1);
            return minute < 0 ? local.truncatedTo(ChronoUnit.HOURS).plusHours(1) : local.withMinute(minute).withSecond(0);
        }
        if (seconds != null && !seconds.get(local.getSecond())) {
            int second = seconds.nextSetBit(local.getSecond() + 1);
            return second < 0 ? local.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : local.withSecond(second);
        }
        return local;
    }

    private LocalDateTime nextDay(LocalDate date, LocalDate lastDay) {
        for (LocalDate day = date.plusDays(1); !day.isAfter(lastDay); day = day.plusDays(1)) {
            if (days.matches(day)) {
                return day.atStartOfDay();
            }
        }
        return null;
    }

    /**
     * An instant after {@code candidate} that is no later than the first instant showing the wall
     * time {@code wanted}. The wall time's own instant is right unless an overlap put it at or before
     * the candidate; adding the wall-clock distance is right unless a spring-forward gap lies between
     * (then it overshoots), so take the smaller of the two that lie ahead.
     */
    private long jump(long candidate, LocalDateTime local, LocalDateTime wanted) {
        long byDistance = candidate + ChronoUnit.SECONDS.between(local, wanted);
        long byWallTime = ZonedDateTime.ofLocal(wanted, zone, null).toEpochSecond();
        return byWallTime > candidate ? Math.min(byWallTime, byDistance) : byDistance;
    }
}
