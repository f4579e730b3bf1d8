package dev.jobflow.core.schedule;

import static dev.jobflow.core.schedule.Times.BERLIN;
import static dev.jobflow.core.schedule.Times.at;
import static dev.jobflow.core.schedule.Times.local;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The examples users paste, with the next five fire times of each, in Berlin winter time (no DST change in range). */
class RecurrenceTest {

    /** Monday 2026-01-05, 10:17:23 in Berlin: the start of every calendar below unless a test says otherwise. */
    private static final Instant ANCHOR = at("2026-01-05T10:17:23", BERLIN);

    private static List<String> nextFive(Recurrence recurrence, String after) {
        return local(recurrence.next(at(after, recurrence.zone()), 5), recurrence.zone());
    }

    private static Recurrence calendar(String expression) {
        return Recurrence.calendar(expression, BERLIN, ANCHOR);
    }

    private static Recurrence calendar(String expression, String anchor) {
        return Recurrence.calendar(expression, BERLIN, at(anchor, BERLIN));
    }

    private static Recurrence cron(String expression) {
        return Recurrence.cron(expression, BERLIN);
    }

    @Test
    void everyOtherMinuteFromTheAnchorAtItsSecond() {
        Recurrence recurrence = calendar("FREQ=MINUTELY;INTERVAL=2");

        assertThat(nextFive(recurrence, "2026-01-05T10:17:23")).containsExactly("2026-01-05T10:19:23",
                "2026-01-05T10:21:23", "2026-01-05T10:23:23", "2026-01-05T10:25:23", "2026-01-05T10:27:23");
        assertThat(nextFive(recurrence, "2026-01-05T10:20:00")).first().isEqualTo("2026-01-05T10:21:23");
    }

    @Test
    void dailyAtTwoTakesTheAnchorsSecond() {
        // BYSECOND is unset, so the second comes from the anchor (10:17:23), as in DBMS_SCHEDULER.
        assertThat(nextFive(calendar("FREQ=DAILY;BYHOUR=2;BYMINUTE=0"), "2026-01-05T10:17:23")).containsExactly(
                "2026-01-06T02:00:23", "2026-01-07T02:00:23", "2026-01-08T02:00:23", "2026-01-09T02:00:23",
                "2026-01-10T02:00:23");
    }

    @Test
    void weeklyOnMondayAndWednesdayAtTheAnchorsTime() {
        assertThat(nextFive(calendar("FREQ=WEEKLY;BYDAY=MON,WED"), "2026-01-05T10:17:23")).containsExactly(
                "2026-01-07T10:17:23", "2026-01-12T10:17:23", "2026-01-14T10:17:23", "2026-01-19T10:17:23",
                "2026-01-21T10:17:23");
    }

    @Test
    void everyFiveSecondsFromTheAnchor() {
        assertThat(nextFive(calendar("FREQ=SECONDLY;INTERVAL=5"), "2026-01-05T10:17:24")).containsExactly(
                "2026-01-05T10:17:28", "2026-01-05T10:17:33", "2026-01-05T10:17:38", "2026-01-05T10:17:43",
                "2026-01-05T10:17:48");
    }

    @Test
    void lastDayOfTheMonthIncludingALeapFebruary() {
        Recurrence recurrence = calendar("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=23;BYMINUTE=0;BYSECOND=0");

        assertThat(nextFive(recurrence, "2028-01-10T00:00")).containsExactly("2028-01-31T23:00", "2028-02-29T23:00",
                "2028-03-31T23:00", "2028-04-30T23:00", "2028-05-31T23:00");
        assertThat(nextFive(recurrence, "2026-02-01T00:00")).first().isEqualTo("2026-02-28T23:00");
    }

    @Test
    void february29thOnlyInLeapYears() {
        Recurrence recurrence = calendar("FREQ=YEARLY;BYMONTH=FEB;BYMONTHDAY=29", "2025-06-01T08:30:00");

        assertThat(nextFive(recurrence, "2025-06-01T08:30")).containsExactly("2028-02-29T08:30", "2032-02-29T08:30",
                "2036-02-29T08:30", "2040-02-29T08:30", "2044-02-29T08:30");
        // 2100 is no leap year: after 2096 the next is 2104, more than five years on.
        assertThat(nextFive(recurrence, "2090-01-01T00:00")).containsExactly("2092-02-29T08:30", "2096-02-29T08:30");
        assertThat(recurrence.next(at("2097-03-01T00:00", BERLIN))).isEmpty();
    }

    @Test
    void cronWeekdaysAtTwo() {
        // 2026-01-09 is a Friday.
        assertThat(nextFive(cron("0 2 * * 1-5"), "2026-01-09T12:00")).containsExactly("2026-01-12T02:00",
                "2026-01-13T02:00", "2026-01-14T02:00", "2026-01-15T02:00", "2026-01-16T02:00");
    }

    @Test
    void sixFieldCronEveryFiveSeconds() {
        assertThat(nextFive(cron("*/5 * * * * *"), "2026-01-05T10:00:03")).containsExactly("2026-01-05T10:00:05",
                "2026-01-05T10:00:10", "2026-01-05T10:00:15", "2026-01-05T10:00:20", "2026-01-05T10:00:25");
    }

    @Test
    void cronFirstAndFifteenthOrMonday() {
        assertThat(nextFive(cron("0 0 1,15 * MON"), "2026-01-01T00:00")).containsExactly("2026-01-05T00:00",
                "2026-01-12T00:00", "2026-01-15T00:00", "2026-01-19T00:00", "2026-01-26T00:00");
    }

    @Test
    void cronWithNames() {
        assertThat(nextFive(cron("15 8 * FEB,mar Tue"), "2026-01-01T00:00")).containsExactly("2026-02-03T08:15",
                "2026-02-10T08:15", "2026-02-17T08:15", "2026-02-24T08:15", "2026-03-03T08:15");
    }

    @Test
    void aCalendarFiresAtItsAnchorFirstAndNeverBefore() {
        assertThat(nextFive(calendar("FREQ=DAILY"), "2020-01-01T00:00")).containsExactly("2026-01-05T10:17:23",
                "2026-01-06T10:17:23", "2026-01-07T10:17:23", "2026-01-08T10:17:23", "2026-01-09T10:17:23");
        // 10:00:23 is on the anchor's day but before the anchor.
        assertThat(nextFive(calendar("FREQ=HOURLY;BYMINUTE=0,30"), "2026-01-05T00:00")).startsWith(
                "2026-01-05T10:30:23", "2026-01-05T11:00:23", "2026-01-05T11:30:23");
    }

    @Test
    void aByClauseOfFreqsUnitOrCoarserFilters() {
        assertThat(nextFive(calendar("FREQ=HOURLY;BYHOUR=9"), "2026-01-05T10:17:23")).startsWith(
                "2026-01-06T09:17:23", "2026-01-07T09:17:23", "2026-01-08T09:17:23");
        assertThat(nextFive(calendar("FREQ=DAILY;BYDAY=MON,FRI"), "2026-01-05T10:17:23")).startsWith(
                "2026-01-09T10:17:23", "2026-01-12T10:17:23", "2026-01-16T10:17:23");
        assertThat(nextFive(calendar("FREQ=MINUTELY;BYMINUTE=0;BYHOUR=6,18"), "2026-01-05T10:17:23")).startsWith(
                "2026-01-05T18:00:23", "2026-01-06T06:00:23", "2026-01-06T18:00:23");
    }

    @Test
    void unsetFinerFieldsTakeTheAnchorsValues() {
        assertThat(nextFive(calendar("FREQ=MINUTELY"), "2026-01-05T10:20:00")).first().isEqualTo("2026-01-05T10:20:23");
        assertThat(nextFive(calendar("FREQ=HOURLY"), "2026-01-05T10:20:00")).first().isEqualTo("2026-01-05T11:17:23");
        // Wednesday anchor: WEEKLY fires on Wednesdays.
        assertThat(nextFive(calendar("FREQ=WEEKLY", "2026-01-07T08:00"), "2026-01-07T08:00")).startsWith(
                "2026-01-14T08:00", "2026-01-21T08:00");
        assertThat(nextFive(calendar("FREQ=MONTHLY", "2026-01-20T06:00"), "2026-01-20T06:00")).startsWith(
                "2026-02-20T06:00", "2026-03-20T06:00");
        assertThat(nextFive(calendar("FREQ=YEARLY", "2026-04-10T07:00"), "2026-04-10T07:00")).startsWith(
                "2027-04-10T07:00", "2028-04-10T07:00");
    }

    @Test
    void monthlyOnTheAnchorsThirtyFirstSkipsShorterMonths() {
        // Months without that day are skipped (RFC 5545 reading), not moved to their last day.
        assertThat(nextFive(calendar("FREQ=MONTHLY", "2026-01-31T06:00"), "2026-01-31T06:00")).startsWith(
                "2026-03-31T06:00", "2026-05-31T06:00", "2026-07-31T06:00", "2026-08-31T06:00");
    }

    @Test
    void intervalCountsPeriodsFromTheAnchorsPeriod() {
        assertThat(nextFive(calendar("FREQ=DAILY;INTERVAL=3"), "2026-01-05T10:17:23")).startsWith(
                "2026-01-08T10:17:23", "2026-01-11T10:17:23", "2026-01-14T10:17:23");
        assertThat(nextFive(calendar("FREQ=WEEKLY;INTERVAL=2", "2026-01-07T08:00"), "2026-01-07T08:00")).startsWith(
                "2026-01-21T08:00", "2026-02-04T08:00");
        // The anchor's week runs Monday 5th to Sunday 11th: Friday the 9th is in it, Monday the 12th is not.
        assertThat(nextFive(calendar("FREQ=WEEKLY;INTERVAL=2;BYDAY=MON,FRI", "2026-01-07T08:00"), "2026-01-07T08:00"))
                .containsExactly("2026-01-09T08:00", "2026-01-19T08:00", "2026-01-23T08:00", "2026-02-02T08:00",
                        "2026-02-06T08:00");
        assertThat(nextFive(calendar("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15", "2026-01-20T06:00"), "2026-01-20T06:00"))
                .startsWith("2026-03-15T06:00", "2026-05-15T06:00", "2026-07-15T06:00");
        assertThat(nextFive(calendar("FREQ=HOURLY;INTERVAL=5"), "2026-01-05T10:17:23")).startsWith(
                "2026-01-05T15:17:23", "2026-01-05T20:17:23", "2026-01-06T01:17:23");
    }

    @Test
    void numberedWeekdaysCountWithinTheMonthOrTheYear() {
        assertThat(nextFive(calendar("FREQ=MONTHLY;BYDAY=-1FRI;BYHOUR=17;BYMINUTE=0;BYSECOND=0"), "2026-01-05T10:17:23"))
                .startsWith("2026-01-30T17:00", "2026-02-27T17:00", "2026-03-27T17:00");
        // The first Monday of January is the anchor's day but earlier than the anchor.
        assertThat(nextFive(calendar("FREQ=MONTHLY;BYDAY=1MON;BYHOUR=9;BYMINUTE=0;BYSECOND=0"), "2026-01-05T10:17:23"))
                .startsWith("2026-02-02T09:00", "2026-03-02T09:00", "2026-04-06T09:00");
        assertThat(nextFive(calendar("FREQ=YEARLY;BYDAY=1MON"), "2026-01-05T10:17:23")).startsWith(
                "2027-01-04T10:17:23", "2028-01-03T10:17:23");
    }

    @Test
    void secondlyFilteredToNineJumpsToTomorrowOnTheGrid() {
        Recurrence recurrence = calendar("FREQ=SECONDLY;INTERVAL=5;BYHOUR=9");

        // The grid is the anchor (second 23 of the minute) plus multiples of five seconds: :03, :08, ...
        assertThat(nextFive(recurrence, "2026-01-06T10:00")).containsExactly("2026-01-07T09:00:03",
                "2026-01-07T09:00:08", "2026-01-07T09:00:13", "2026-01-07T09:00:18", "2026-01-07T09:00:23");
        assertThat(nextFive(recurrence, "2026-01-07T09:59:57")).startsWith("2026-01-07T09:59:58",
                "2026-01-08T09:00:03");
    }

    @Test
    void nextOfZeroIsEmptyAndTimesAreStrictlyAfter() {
        Recurrence recurrence = cron("0 2 * * *");
        Instant two = at("2026-01-06T02:00", BERLIN);

        assertThat(recurrence.next(two, 0)).isEmpty();
        assertThat(recurrence.next(two)).contains(at("2026-01-07T02:00", BERLIN));
        assertThat(recurrence.next(two.minusNanos(1))).contains(two);
    }

    @Test
    void everyExpressionAnswersWellUnderAMillisecond() {
        ZoneId zone = BERLIN;
        List<Recurrence> recurrences = List.of(calendar("FREQ=MINUTELY;INTERVAL=2"),
                calendar("FREQ=DAILY;BYHOUR=2;BYMINUTE=0"), calendar("FREQ=WEEKLY;BYDAY=MON,WED"),
                calendar("FREQ=SECONDLY;INTERVAL=5"), calendar("FREQ=SECONDLY;INTERVAL=5;BYHOUR=9"),
                calendar("FREQ=SECONDLY;INTERVAL=7;BYHOUR=9;BYMINUTE=0;BYSECOND=0"),
                calendar("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=23;BYMINUTE=0;BYSECOND=0"),
                calendar("FREQ=YEARLY;BYMONTH=FEB;BYMONTHDAY=29"), calendar("FREQ=HOURLY;BYHOUR=9"),
                calendar("FREQ=HOURLY;INTERVAL=24;BYHOUR=9"),
                cron("0 2 * * 1-5"), cron("*/5 * * * * *"), cron("* * * * * *"), cron("0 0 1,15 * MON"),
                cron("0 0 31 2 *"), cron("*/15 * * * *"));
        List<Instant> afters = List.of(at("2026-01-06T10:00", zone), at("2026-03-29T01:59:59", zone),
                at("2026-10-25T02:30", zone).plusSeconds(3600), at("2097-03-01T00:00", zone));
        for (Recurrence recurrence : recurrences) {
            for (Instant after : afters) {
                recurrence.next(after); // warm up
            }
        }
        int rounds = 50;
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (Recurrence recurrence : recurrences) {
                for (Instant after : afters) {
                    recurrence.next(after);
                }
            }
        }
        long calls = (long) rounds * recurrences.size() * afters.size();
        long averageMicros = (System.nanoTime() - started) / 1000 / calls;

        assertThat(averageMicros).as("average microseconds per next()").isLessThan(1000);
    }
}
