package dev.jobflow.core.schedule;

import static dev.jobflow.core.schedule.Times.BERLIN;
import static dev.jobflow.core.schedule.Times.at;
import static dev.jobflow.core.schedule.Times.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronParseTest {

    /** Thursday 2026-01-01, midnight in Berlin. */
    private static final Instant NEW_YEAR = at("2026-01-01T00:00", BERLIN);

    private static ScheduleExpressionException error(String cron) {
        return catchThrowableOfType(ScheduleExpressionException.class, () -> Recurrence.cron(cron, BERLIN));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            61 * * * *       | minute field '61'        | cron minute field '61': must be 0-59
            1,61 * * * *     | minute field '1,61'      | cron minute field '1,61': 61 is out of range, must be 0-59
            0 24 * * *       | hour field '24'          | cron hour field '24': must be 0-23
            0 0 0 * *        | day-of-month field '0'   | cron day-of-month field '0': must be 1-31
            0 0 32 * *       | day-of-month field '32'  | cron day-of-month field '32': must be 1-31
            0 0 * 13 *       | month field '13'         | cron month field '13': must be 1-12 or JAN-DEC
            0 0 * FOO *      | month field 'FOO'        | cron month field 'FOO': 'FOO' is not a valid value, must be 1-12 or JAN-DEC
            0 0 * * 8        | day-of-week field '8'    | cron day-of-week field '8': must be 0-7 or SUN-SAT
            0 0 * * MON-XYZ  | day-of-week field 'MON-XYZ' | cron day-of-week field 'MON-XYZ': 'XYZ' is not a valid value, must be 0-7 or SUN-SAT
            */0 * * * *      | minute field '*/0'       | cron minute field '*/0': step must be at least 1, not 0
            0-30/x * * * *   | minute field '0-30/x'    | cron minute field '0-30/x': step 'x' must be a whole number of at least 1
            0 5-2 * * *      | hour field '5-2'         | cron hour field '5-2': range 5-2 is reversed; write it low-high
            0 0 * DEC-JAN *  | month field 'DEC-JAN'    | cron month field 'DEC-JAN': range DEC-JAN is reversed; write it low-high
            ? * * * *        | minute field '?'         | cron minute field '?': '?' is only allowed in day-of-month and day-of-week
            1,,2 * * * *     | minute field '1,,2'      | cron minute field '1,,2': empty list element
            -1 * * * *       | minute field '-1'        | cron minute field '-1': '-1' is not a valid value, must be 0-59
            60 * * * * *     | second field '60'        | cron second field '60': must be 0-59
            """)
    void aWrongFieldIsNamedWithItsRange(String cron, String part, String message) {
        ScheduleExpressionException e = error(cron);

        assertThat(e.part()).isEqualTo(part);
        assertThat(e).hasMessage(message);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            * * * *         | 4
            0 0 * * * * *   | 7
            ''              | 0
            """)
    void theWrongNumberOfFieldsIsNamed(String cron, int count) {
        ScheduleExpressionException e = error(cron);

        assertThat(e.part()).isEqualTo("field count");
        assertThat(e).hasMessageContaining("has " + count + " fields: expected 5")
                .hasMessageContaining("or 6 (second minute hour day-of-month month day-of-week)");
    }

    @Test
    void sevenAndZeroAreBothSundayAndRangesMayEndOnSeven() {
        assertThat(local(Recurrence.cron("0 0 * * 7", BERLIN).next(NEW_YEAR, 2), BERLIN))
                .containsExactly("2026-01-04T00:00", "2026-01-11T00:00");
        assertThat(local(Recurrence.cron("0 0 * * 0", BERLIN).next(NEW_YEAR, 2), BERLIN))
                .containsExactly("2026-01-04T00:00", "2026-01-11T00:00");
        assertThat(local(Recurrence.cron("0 0 * * 5-7", BERLIN).next(NEW_YEAR, 4), BERLIN))
                .containsExactly("2026-01-02T00:00", "2026-01-03T00:00", "2026-01-04T00:00", "2026-01-09T00:00");
    }

    @Test
    void stepsStartFromTheRangeOrTheValue() {
        assertThat(local(Recurrence.cron("5/20 * * * *", BERLIN).next(NEW_YEAR, 4), BERLIN))
                .containsExactly("2026-01-01T00:05", "2026-01-01T00:25", "2026-01-01T00:45", "2026-01-01T01:05");
        assertThat(local(Recurrence.cron("0 9-17/4 * * *", BERLIN).next(NEW_YEAR, 4), BERLIN))
                .containsExactly("2026-01-01T09:00", "2026-01-01T13:00", "2026-01-01T17:00", "2026-01-02T09:00");
        assertThat(local(Recurrence.cron("0 0 1 */5 *", BERLIN).next(NEW_YEAR, 3), BERLIN))
                .containsExactly("2026-06-01T00:00", "2026-11-01T00:00", "2027-01-01T00:00");
    }

    @Test
    void namesAreCaseInsensitiveAndMayFormRanges() {
        assertThat(local(Recurrence.cron("0 12 * jun SAT,sun", BERLIN).next(at("2026-05-31T00:00", BERLIN), 5), BERLIN))
                .containsExactly("2026-06-06T12:00", "2026-06-07T12:00", "2026-06-13T12:00", "2026-06-14T12:00",
                        "2026-06-20T12:00");
        assertThat(local(Recurrence.cron("30 9 * Jan-Mar Mon-Fri", BERLIN).next(at("2026-03-30T12:00", BERLIN), 3), BERLIN))
                .containsExactly("2026-03-31T09:30", "2027-01-01T09:30", "2027-01-04T09:30");
    }

    @Test
    void dayOfMonthAndDayOfWeekCombineByAndUnlessBothAreRestricted() {
        // Only day-of-month restricted: the 13th, whatever its weekday.
        assertThat(local(Recurrence.cron("0 0 13 * *", BERLIN).next(NEW_YEAR, 2), BERLIN))
                .containsExactly("2026-01-13T00:00", "2026-02-13T00:00");
        // '?' is unrestricted like '*': Mondays only.
        assertThat(local(Recurrence.cron("0 0 ? * MON", BERLIN).next(NEW_YEAR, 2), BERLIN))
                .containsExactly("2026-01-05T00:00", "2026-01-12T00:00");
        // Both restricted: the 13th or a Friday (Vixie), not Friday the 13th.
        assertThat(local(Recurrence.cron("0 0 13 * FRI", BERLIN).next(NEW_YEAR, 4), BERLIN))
                .containsExactly("2026-01-02T00:00", "2026-01-09T00:00", "2026-01-13T00:00", "2026-01-16T00:00");
    }

    @Test
    void aDateThatNeverComesGivesNothing() {
        Recurrence never = Recurrence.cron("0 0 31 2 *", BERLIN);

        assertThat(never.next(NEW_YEAR)).isEmpty();
        assertThat(never.next(NEW_YEAR, 3)).isEmpty();
    }

    @Test
    void keepsTheExpressionAsGivenAndItsZone() {
        Recurrence recurrence = Recurrence.cron("  0 2 * * 1-5 ", BERLIN);

        assertThat(recurrence.expression()).isEqualTo("  0 2 * * 1-5 ");
        assertThat(recurrence.zone()).isEqualTo(BERLIN);
        assertThat(recurrence).hasToString("cron '  0 2 * * 1-5 ' in Europe/Berlin");
    }
}
