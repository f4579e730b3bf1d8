package dev.jobflow.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the jumping searches against the slowest possible reading of the same rules, around DST
 * changes (including Lord Howe's half-hour shift and Samoa skipping 30 December 2011 whole): every
 * candidate is listed, and the answer is the first one, in wall-clock order for cron and in time
 * order for a sub-daily calendar, whose instant is after the asked one.
 */
class ReferenceCrossCheckTest {

    private static final int ASKS = 600;

    @ParameterizedTest(name = "{0} in {1} around {2}")
    @CsvSource(delimiter = '|', textBlock = """
            */15 * * * *      | Europe/Berlin       | 2026-03-29
            */15 * * * *      | Europe/Berlin       | 2026-10-25
            0,30 2,3 * * *    | Europe/Berlin       | 2026-03-29
            7 1-3 * * *       | America/New_York    | 2026-11-01
            */10 1-3 * * *    | America/New_York    | 2026-03-08
            */20 * * * *      | Australia/Lord_Howe | 2026-04-05
            */20 * * * *      | Australia/Lord_Howe | 2026-10-04
            0 */3 * * *       | Pacific/Apia        | 2011-12-30
            45 10 * * *       | Pacific/Apia        | 2011-12-30
            """)
    void cronMatchesTheWallClockOrderReference(String cron, String zoneId, String day) {
        ZoneId zone = ZoneId.of(zoneId);
        Recurrence recurrence = Recurrence.cron(cron, zone);
        String[] fields = cron.split(" ");
        Predicate<LocalDateTime> matches = local -> field(fields[0], local.getMinute())
                && field(fields[1], local.getHour());
        // Every wall minute that matches, in wall-clock order, with the instant it fires at.
        LocalDate date = LocalDate.parse(day);
        List<Instant> candidates = new ArrayList<>();
        for (LocalDateTime local = date.minusDays(3).atStartOfDay(); local
                .isBefore(date.plusDays(4).atStartOfDay()); local = local.plusMinutes(1)) {
            if (matches.test(local)) {
                candidates.add(ZonedDateTime.ofLocal(local, zone, null).toInstant());
            }
        }
        Instant from = date.minusDays(1).atStartOfDay(zone).toInstant();
        for (int i = 0; i < ASKS; i++) {
            Instant after = from.plusSeconds(i * 433L); // 7 min 13 s: lands on, before and after fire times
            Optional<Instant> expected = candidates.stream().filter(candidate -> candidate.isAfter(after)).findFirst();

            assertThat(recurrence.next(after)).as("next after %s", after).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} in {1} around {2}")
    @CsvSource(delimiter = '|', textBlock = """
            FREQ=SECONDLY;INTERVAL=7;BYHOUR=1,2,3;BYMINUTE=0,1  | Europe/Berlin       | 2026-10-25 | 7     | 0    | 0,1  | 1,2,3
            FREQ=MINUTELY;INTERVAL=13;BYHOUR=2                  | Europe/Berlin       | 2026-03-29 | 780   | 0    | *    | 2
            FREQ=MINUTELY;INTERVAL=13;BYHOUR=2                  | Europe/Berlin       | 2026-10-25 | 780   | 0    | *    | 2
            FREQ=HOURLY;BYMINUTE=0,30;BYHOUR=1,2,3              | America/New_York    | 2026-11-01 | 3600  | 1800 | 0,30 | 1,2,3
            FREQ=MINUTELY;INTERVAL=20;BYHOUR=1,2                | Australia/Lord_Howe | 2026-04-05 | 1200  | 0    | *    | 1,2
            FREQ=SECONDLY;INTERVAL=11;BYMINUTE=59;BYHOUR=23     | Pacific/Apia        | 2011-12-30 | 11    | 0    | 59   | 23
            """)
    void subDailyCalendarMatchesTheTimelineReference(String calendar, String zoneId, String day, long step,
            long secondFireInPeriod, String minutes, String hours) {
        ZoneId zone = ZoneId.of(zoneId);
        LocalDate date = LocalDate.parse(day);
        // Anchored 17 s after a midnight, so each period fires 17 s in (and HOURLY also 30 min later).
        Instant anchor = date.minusDays(3).atStartOfDay(zone).toInstant().plusSeconds(17);
        Recurrence recurrence = Recurrence.calendar(calendar, zone, anchor);
        long[] withinPeriod = secondFireInPeriod == 0 ? new long[] { 0 } : new long[] { 0, secondFireInPeriod };
        // Every grid time from the anchor whose wall clock passes the filters, in time order.
        List<Instant> candidates = new ArrayList<>();
        Instant end = date.plusDays(4).atStartOfDay(zone).toInstant();
        for (Instant period = anchor; period.isBefore(end); period = period.plusSeconds(step)) {
            for (long offset : withinPeriod) {
                Instant at = period.plusSeconds(offset);
                LocalDateTime local = LocalDateTime.ofInstant(at, zone);
                if (field(minutes, local.getMinute()) && field(hours, local.getHour())) {
                    candidates.add(at);
                }
            }
        }
        Instant from = date.minusDays(1).atStartOfDay(zone).toInstant();
        for (int i = 0; i < ASKS; i++) {
            Instant after = from.plusSeconds(i * 433L);
            Optional<Instant> expected = candidates.stream().filter(candidate -> candidate.isAfter(after)).findFirst();

            assertThat(recurrence.next(after)).as("next after %s", after).isEqualTo(expected);
        }
    }

    /** A cron-like field of '*', a list, a range 'a-b' or a step '* /n' (no space), enough for the expressions above. */
    private static boolean field(String field, int value) {
        if (field.equals("*")) {
            return true;
        }
        if (field.startsWith("*/")) {
            return value % Integer.parseInt(field.substring(2)) == 0;
        }
        if (field.contains("/")) {
            String[] rangeAndStep = field.split("/");
            String[] range = rangeAndStep[0].split("-");
            int low = Integer.parseInt(range[0]);
            return value >= low && value <= Integer.parseInt(range[1])
                    && (value - low) % Integer.parseInt(rangeAndStep[1]) == 0;
        }
        for (String item : field.split(",")) {
            String[] range = item.split("-");
            int low = Integer.parseInt(range[0]);
            int high = Integer.parseInt(range[range.length - 1]);
            if (value >= low && value <= high) {
                return true;
            }
        }
        return false;
    }
}
