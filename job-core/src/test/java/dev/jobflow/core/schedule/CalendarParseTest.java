package dev.jobflow.core.schedule;

import static dev.jobflow.core.schedule.Times.BERLIN;
import static dev.jobflow.core.schedule.Times.at;
import static dev.jobflow.core.schedule.Times.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalendarParseTest {

    /** Monday 2026-01-05, 10:17:23 in Berlin. */
    private static final Instant ANCHOR = at("2026-01-05T10:17:23", BERLIN);

    private static ScheduleExpressionException error(String calendar) {
        return catchThrowableOfType(ScheduleExpressionException.class,
                () -> Recurrence.calendar(calendar, BERLIN, ANCHOR));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            FREQ=DAILY;BYHOUR=25             | BYHOUR=25        | calendar BYHOUR=25: hours are 0-23
            FREQ=DAILY;BYHOUR=2,x            | BYHOUR=X         | calendar BYHOUR=X: hours are 0-23
            FREQ=DAILY;BYMINUTE=60           | BYMINUTE=60      | calendar BYMINUTE=60: minutes are 0-59
            FREQ=DAILY;BYSECOND=-1           | BYSECOND=-1      | calendar BYSECOND=-1: seconds are 0-59
            FREQ=YEARLY;BYMONTH=13           | BYMONTH=13       | calendar BYMONTH=13: months are 1-12 or JAN-DEC
            FREQ=YEARLY;BYMONTH=FEBR         | BYMONTH=FEBR     | calendar BYMONTH=FEBR: months are 1-12 or JAN-DEC
            FREQ=MONTHLY;BYMONTHDAY=32       | BYMONTHDAY=32    | calendar BYMONTHDAY=32: days of the month are 1-31, or -1 to -31 counting back from the month's last day
            FREQ=MONTHLY;BYMONTHDAY=-32      | BYMONTHDAY=-32   | calendar BYMONTHDAY=-32: days of the month are 1-31, or -1 to -31 counting back from the month's last day
            FREQ=MONTHLY;BYMONTHDAY=0        | BYMONTHDAY=0     | calendar BYMONTHDAY=0: days of the month are 1-31, or -1 to -31 counting back from the month's last day
            FREQ=WEEKLY;BYDAY=MON,XYZ        | BYDAY=XYZ        | calendar BYDAY=XYZ: days are MON, TUE, WED, THU, FRI, SAT, SUN, optionally numbered like 1MON or -1FRI
            FREQ=WEEKLY;BYDAY=1MON           | BYDAY=1MON       | calendar BYDAY=1MON: a numbered weekday needs FREQ=MONTHLY or FREQ=YEARLY, not FREQ=WEEKLY
            FREQ=MONTHLY;BYDAY=0MON          | BYDAY=0MON       | calendar BYDAY=0MON: the number counts that weekday from the start (1 to 53) or, negative, from the end
            FREQ=DAILY;INTERVAL=0            | INTERVAL=0       | calendar INTERVAL=0: the interval is 1-99
            FREQ=DAILY;INTERVAL=100          | INTERVAL=100     | calendar INTERVAL=100: the interval is 1-99
            FREQ=DAILY;INTERVAL=1,2          | INTERVAL=1,2     | calendar INTERVAL=1,2: INTERVAL takes one value
            FREQ=FORTNIGHTLY                 | FREQ=FORTNIGHTLY | calendar FREQ=FORTNIGHTLY: must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY
            BYHOUR=2;BYMINUTE=0              | FREQ             | calendar: FREQ is missing; it must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY
            FREQ=DAILY;FOO=1                 | FOO=1            | calendar: unknown clause FOO=1; the clauses are FREQ, INTERVAL, BYMONTH, BYMONTHDAY, BYDAY, BYHOUR, BYMINUTE, BYSECOND
            FREQ=DAILY;BYHOUR=1;byhour=2     | BYHOUR           | calendar: BYHOUR appears twice; give it once
            FREQ=DAILY;BYHOUR                | BYHOUR           | calendar: 'BYHOUR' is not a clause; write NAME=value, e.g. FREQ=DAILY
            FREQ=DAILY;BYHOUR=               | BYHOUR=          | calendar BYHOUR=: the value is missing
            FREQ=YEARLY;BYWEEKNO=1           | BYWEEKNO=1       | calendar: BYWEEKNO is not supported here; use FREQ, INTERVAL, BYMONTH, BYMONTHDAY, BYDAY, BYHOUR, BYMINUTE, BYSECOND
            """)
    void aWrongClauseIsNamedWithItsAllowedValues(String calendar, String part, String message) {
        ScheduleExpressionException e = error(calendar);

        assertThat(e.part()).isEqualTo(part);
        assertThat(e).hasMessage(message);
    }

    @Test
    void anEmptyExpressionLacksFreq() {
        assertThat(error("").part()).isEqualTo("FREQ");
        assertThat(error(" ; ")).hasMessageStartingWith("calendar: FREQ is missing");
    }

    @Test
    void exactlyOneOfCronAndCalendarIsGiven() {
        ScheduleExpressionException both = catchThrowableOfType(ScheduleExpressionException.class,
                () -> Recurrence.parse("0 2 * * *", "FREQ=DAILY", BERLIN, ANCHOR));
        ScheduleExpressionException neither = catchThrowableOfType(ScheduleExpressionException.class,
                () -> Recurrence.parse(null, null, BERLIN, ANCHOR));

        assertThat(both.part()).isEqualTo("cron/calendar");
        assertThat(both).hasMessage("exactly one of cron and calendar must be given, got both");
        assertThat(neither.part()).isEqualTo("cron/calendar");
        assertThat(neither).hasMessage("exactly one of cron and calendar must be given, got neither");
    }

    @Test
    void parsePicksTheGivenSyntax() {
        Recurrence cron = Recurrence.parse("0 2 * * *", null, BERLIN, null);
        Recurrence calendar = Recurrence.parse(null, "FREQ=DAILY;BYHOUR=2", BERLIN, ANCHOR);

        assertThat(cron).hasToString("cron '0 2 * * *' in Europe/Berlin");
        assertThat(calendar).hasToString("calendar 'FREQ=DAILY;BYHOUR=2' in Europe/Berlin");
        assertThat(calendar.expression()).isEqualTo("FREQ=DAILY;BYHOUR=2");
    }

    @Test
    void aCalendarNeedsItsAnchor() {
        assertThatNullPointerException().isThrownBy(() -> Recurrence.calendar("FREQ=DAILY", BERLIN, null))
                .withMessage("anchor");
    }

    @Test
    void caseAndWhitespaceAroundTokensDoNotMatter() {
        Recurrence recurrence = Recurrence.calendar(" freq = daily ; byhour = 2 , 14 ; byminute=0;bysecond=0; ", BERLIN,
                ANCHOR);

        assertThat(local(recurrence.next(ANCHOR, 3), BERLIN))
                .containsExactly("2026-01-05T14:00", "2026-01-06T02:00", "2026-01-06T14:00");
    }

    @Test
    void monthAndDayNamesWork() {
        Recurrence recurrence = Recurrence.calendar("FREQ=YEARLY;BYMONTH=jan,Jul;BYDAY=sun;BYHOUR=8;BYMINUTE=0;BYSECOND=0",
                BERLIN, ANCHOR);

        assertThat(local(recurrence.next(at("2026-01-20T00:00", BERLIN), 3), BERLIN))
                .containsExactly("2026-01-25T08:00", "2026-07-05T08:00", "2026-07-12T08:00");
    }
}
