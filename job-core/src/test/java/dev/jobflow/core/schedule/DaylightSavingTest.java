package dev.jobflow.core.schedule;

import static dev.jobflow.core.schedule.Times.BERLIN;
import static dev.jobflow.core.schedule.Times.NEW_YORK;
import static dev.jobflow.core.schedule.Times.at;
import static dev.jobflow.core.schedule.Times.wall;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fire times across the 2026 DST changes: Berlin springs forward on 29 March (02:00 CET to 03:00
 * CEST) and falls back on 25 October (03:00 CEST to 02:00 CET); New York on 8 March (02:00 EST to
 * 03:00 EDT) and 1 November (02:00 EDT to 01:00 EST).
 * <p>
 * The rule for cron and daily-or-coarser calendars: each wall time of the day fires once. A wall
 * time the spring gap skips fires shifted forward by the gap; a wall time the fall overlap repeats
 * fires at its first occurrence only. So an hourly cron fires 23 times on the 23-hour day (02:00 and
 * 03:00 both become 03:00 CEST, which fires once) and 24 times on the 25-hour day (the repeated hour
 * fires once). Sub-daily calendars step on the absolute timeline instead, so FREQ=HOURLY fires 25
 * times on the 25-hour day.
 */
class DaylightSavingTest {

    private static final Instant WINTER_ANCHOR = at("2026-01-05T00:00", BERLIN);

    /** The fire times within one local day, from its first instant to the next day's. */
    private static List<Instant> firesOn(Recurrence recurrence, String date) {
        ZoneId zone = recurrence.zone();
        Instant start = LocalDate.parse(date).atStartOfDay(zone).toInstant();
        Instant end = LocalDate.parse(date).plusDays(1).atStartOfDay(zone).toInstant();
        List<Instant> fires = new ArrayList<>();
        Optional<Instant> next = recurrence.next(start.minusNanos(1));
        while (next.isPresent() && next.get().isBefore(end)) {
            fires.add(next.get());
            next = recurrence.next(next.get());
        }
        return fires;
    }

    private static List<String> wallOn(Recurrence recurrence, String date) {
        return wall(firesOn(recurrence, date), recurrence.zone());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(textBlock = """
            Europe/Berlin,    cron
            Europe/Berlin,    calendar
            America/New_York, cron
            America/New_York, calendar
            """)
    void aDailyJobAtHalfPastTwoRunsOnceOnBothChangeDays(String zoneId, String kind) {
        ZoneId zone = ZoneId.of(zoneId);
        Recurrence recurrence = kind.equals("cron") ? Recurrence.cron("30 2 * * *", zone)
                : Recurrence.calendar("FREQ=DAILY;BYHOUR=2;BYMINUTE=30;BYSECOND=0", zone, WINTER_ANCHOR);
        boolean berlin = zone.equals(BERLIN);
        String spring = berlin ? "2026-03-29" : "2026-03-08";
        String fall = berlin ? "2026-10-25" : "2026-11-01";

        // 02:30 does not exist on spring-forward day: it runs at 03:30 summer time, once.
        assertThat(wallOn(recurrence, spring)).containsExactly(spring + "T03:30" + (berlin ? "+02:00" : "-04:00"));
        // Berlin repeats 02:00-03:00 and runs at the first 02:30 (summer time); New York repeats 01:00-02:00, so 02:30 is plain.
        assertThat(wallOn(recurrence, fall)).containsExactly(fall + "T02:30" + (berlin ? "+02:00" : "-05:00"));
        // The days around keep 02:30.
        String dayBefore = LocalDate.parse(spring).minusDays(1).toString();
        assertThat(wall(recurrence.next(at(dayBefore + "T00:00", zone), 3), zone)).containsExactly(
                dayBefore + "T02:30" + (berlin ? "+01:00" : "-05:00"),
                spring + "T03:30" + (berlin ? "+02:00" : "-04:00"),
                LocalDate.parse(spring).plusDays(1) + "T02:30" + (berlin ? "+02:00" : "-04:00"));
    }

    @Test
    void aWallTimeInNewYorksRepeatedHourRunsOnceAtTheEarlierOffset() {
        Recurrence recurrence = Recurrence.cron("30 1 * * *", NEW_YORK);

        assertThat(wallOn(recurrence, "2026-11-01")).containsExactly("2026-11-01T01:30-04:00");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            Europe/Berlin,    2026-03-29, 2026-10-25, 02
            America/New_York, 2026-03-08, 2026-11-01, 01
            """)
    void anHourlyCronFiresOncePerWallClockHour(String zoneId, String spring, String fall, String repeatedHour) {
        ZoneId zone = ZoneId.of(zoneId);
        Recurrence hourly = Recurrence.cron("0 * * * *", zone);

        List<Instant> springFires = firesOn(hourly, spring);
        List<Instant> fallFires = firesOn(hourly, fall);

        // 23 real hours, 23 fires: wall 02:00 moves to 03:00, where the 03:00 fire already is.
        assertThat(springFires).hasSize(23).doesNotHaveDuplicates().isSorted();
        assertThat(wall(springFires, zone)).doesNotContain(spring + "T02:00");
        // 25 real hours, 24 fires: the repeated hour fires once, at its first (summer time) occurrence, so one gap is two hours.
        assertThat(fallFires).hasSize(24).doesNotHaveDuplicates().isSorted();
        String summerOffset = zone.equals(BERLIN) ? "+02:00" : "-04:00";
        assertThat(wall(fallFires, zone)).contains(fall + "T" + repeatedHour + ":00" + summerOffset);
        assertThat(gaps(fallFires)).containsOnly(Duration.ofHours(1), Duration.ofHours(2));
        assertThat(gaps(fallFires)).filteredOn(Duration.ofHours(2)::equals).hasSize(1);
    }

    @Test
    void anHourlyCalendarStepsRealHoursAndFires25TimesOnTheLongDay() {
        Recurrence hourly = Recurrence.calendar("FREQ=HOURLY;BYMINUTE=0;BYSECOND=0", BERLIN, WINTER_ANCHOR);

        assertThat(firesOn(hourly, "2026-03-29")).hasSize(23);
        assertThat(firesOn(hourly, "2026-10-25")).hasSize(25);
        assertThat(gaps(firesOn(hourly, "2026-10-25"))).containsOnly(Duration.ofHours(1));
        // BYHOUR filters on the wall clock: the repeated hour 02 passes twice, the skipped one never.
        Recurrence atTwo = Recurrence.calendar("FREQ=HOURLY;BYHOUR=2;BYMINUTE=30;BYSECOND=0", BERLIN, WINTER_ANCHOR);
        assertThat(wallOn(atTwo, "2026-10-25")).containsExactly("2026-10-25T02:30+02:00", "2026-10-25T02:30+01:00");
        assertThat(wallOn(atTwo, "2026-03-29")).isEmpty();
        Recurrence secondly = Recurrence.calendar("FREQ=SECONDLY;BYMINUTE=0;BYSECOND=0", BERLIN, WINTER_ANCHOR);
        assertThat(firesOn(secondly, "2026-10-25")).hasSize(25);
    }

    @Test
    void aWholeDayGridMeetsAWallClockHourOnlyWhileTheOffsetAllows() {
        // Every 24 real hours from 10:17:23 winter time is 11:17:23 in summer time.
        Instant anchor = at("2026-01-05T10:17:23", BERLIN);
        Recurrence summerOnly = Recurrence.calendar("FREQ=HOURLY;INTERVAL=24;BYHOUR=11", BERLIN, anchor);
        Recurrence never = Recurrence.calendar("FREQ=HOURLY;INTERVAL=24;BYHOUR=9", BERLIN, anchor);

        assertThat(wall(summerOnly.next(anchor, 2), BERLIN)).containsExactly("2026-03-29T11:17:23+02:00",
                "2026-03-30T11:17:23+02:00");
        assertThat(wall(summerOnly.next(at("2026-10-24T00:00", BERLIN), 2), BERLIN))
                .containsExactly("2026-10-24T11:17:23+02:00", "2027-03-28T11:17:23+02:00");
        assertThat(never.next(anchor)).isEmpty();
    }

    @Test
    void everyFifteenMinutesAcrossTheGapHasNoDuplicates() {
        Recurrence quarterly = Recurrence.cron("*/15 * * * *", BERLIN);

        assertThat(wall(quarterly.next(at("2026-03-29T01:00", BERLIN), 8), BERLIN)).containsExactly(
                "2026-03-29T01:15+01:00", "2026-03-29T01:30+01:00", "2026-03-29T01:45+01:00",
                "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00", "2026-03-29T03:30+02:00",
                "2026-03-29T03:45+02:00", "2026-03-29T04:00+02:00");
        assertThat(firesOn(quarterly, "2026-03-29")).hasSize(23 * 4).doesNotHaveDuplicates().isSorted();
        assertThat(firesOn(quarterly, "2026-10-25")).hasSize(24 * 4).doesNotHaveDuplicates().isSorted();
        assertThat(wall(quarterly.next(at("2026-10-25T01:30", BERLIN), 7), BERLIN)).containsExactly(
                "2026-10-25T01:45+02:00", "2026-10-25T02:00+02:00", "2026-10-25T02:15+02:00",
                "2026-10-25T02:30+02:00", "2026-10-25T02:45+02:00", "2026-10-25T03:00+01:00",
                "2026-10-25T03:15+01:00");
        Recurrence newYork = Recurrence.cron("*/15 * * * *", NEW_YORK);
        assertThat(firesOn(newYork, "2026-03-08")).hasSize(23 * 4).doesNotHaveDuplicates().isSorted();
        assertThat(firesOn(newYork, "2026-11-01")).hasSize(24 * 4).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aGapShiftedTimeThatLandsOnOrBeforeOneAlreadyFiredIsDropped() {
        // Wall order 02:00, 02:30, 03:00, 03:30 becomes 03:00, 03:30, 03:00, 03:30 summer time: the last two are dropped.
        Recurrence recurrence = Recurrence.cron("0,30 2,3 * * *", BERLIN);

        assertThat(wall(recurrence.next(at("2026-03-29T00:00", BERLIN), 3), BERLIN)).containsExactly(
                "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00", "2026-03-30T02:00+02:00");
    }

    @Test
    void askingFromInsideTheGapOrTheOverlapContinuesTheSameSequence() {
        Recurrence quarterly = Recurrence.cron("*/15 * * * *", BERLIN);
        Recurrence everySecond = Recurrence.cron("* * * * * *", BERLIN);

        assertThat(quarterly.next(Instant.parse("2026-03-29T01:10:00Z"))).contains(Instant.parse("2026-03-29T01:15:00Z"));
        // 02:30 winter time is the second 02:30: the repeated wall times already fired at summer time.
        Instant secondHalfPastTwo = Instant.parse("2026-10-25T01:30:00Z");
        assertThat(everySecond.next(secondHalfPastTwo)).contains(Instant.parse("2026-10-25T02:00:00Z"));
        assertThat(everySecond.next(Instant.parse("2026-03-29T00:59:59Z"))).contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(everySecond.next(Instant.parse("2026-03-29T01:59:59Z"))).contains(Instant.parse("2026-03-29T02:00:00Z"));
    }

    @Test
    void wouldFailIfTheZoneWereIgnored() {
        // 09:00 Berlin is 08:00 UTC in winter and 07:00 UTC in summer; computed in UTC (or a fixed +01:00) all would be equal.
        Recurrence cron = Recurrence.cron("0 9 * * *", BERLIN);
        Recurrence calendar = Recurrence.calendar("FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0", BERLIN, WINTER_ANCHOR);
        List<Instant> expected = List.of(Instant.parse("2026-03-28T08:00:00Z"), Instant.parse("2026-03-29T07:00:00Z"),
                Instant.parse("2026-03-30T07:00:00Z"));

        assertThat(cron.next(Instant.parse("2026-03-27T12:00:00Z"), 3)).isEqualTo(expected);
        assertThat(calendar.next(Instant.parse("2026-03-27T12:00:00Z"), 3)).isEqualTo(expected);
        assertThat(Recurrence.cron("0 9 * * *", NEW_YORK).next(Instant.parse("2026-03-07T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-07T14:00:00Z"), Instant.parse("2026-03-08T13:00:00Z"),
                Instant.parse("2026-03-09T13:00:00Z"));
    }

    private static List<Duration> gaps(List<Instant> fires) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < fires.size(); i++) {
            gaps.add(Duration.between(fires.get(i - 1), fires.get(i)));
        }
        return gaps;
    }
}
