package dev.jobflow.core.schedule;

import java.time.LocalDate;

/** Which calendar days a wall-clock schedule may fire on. */
interface DayRule {

    boolean matches(LocalDate date);

    /**
     * Whether any day of this month can match; lets the day search skip a whole month at once (a
     * February-29th schedule would otherwise look at every day of four years).
     */
    default boolean monthMayMatch(int month) {
        return true;
    }
}
