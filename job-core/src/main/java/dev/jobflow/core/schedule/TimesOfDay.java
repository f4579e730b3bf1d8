package dev.jobflow.core.schedule;

import java.time.LocalTime;
import java.util.BitSet;

/**
 * The wall-clock times of day a schedule fires at: every combination of its hours, minutes and
 * seconds. Finding the next one is three bit look-ups, so a schedule that fires every second costs
 * no more to ask than one that fires once a day.
 */
final class TimesOfDay {

    private final BitSet hours;
    private final BitSet minutes;
    private final BitSet seconds;

    TimesOfDay(BitSet hours, BitSet minutes, BitSet seconds) {
        if (hours.isEmpty() || minutes.isEmpty() || seconds.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one hour, minute and second");
        }
        this.hours = (BitSet) hours.clone();
        this.minutes = (BitSet) minutes.clone();
        this.seconds = (BitSet) seconds.clone();
    }

    /** The first time of day at or after {@code time} (whole seconds), or null if none is left that day. */
    LocalTime firstAtOrAfter(LocalTime time) {
        int hour = time.getHour();
        int minute = time.getMinute();
        if (hours.get(hour)) {
            if (minutes.get(minute)) {
                int second = seconds.nextSetBit(time.getSecond());
                if (second >= 0) {
                    return LocalTime.of(hour, minute, second);
                }
            }
            int nextMinute = minutes.nextSetBit(minute + 1);
            if (nextMinute >= 0) {
                return LocalTime.of(hour, nextMinute, seconds.nextSetBit(0));
            }
        }
        int nextHour = hours.nextSetBit(hour + 1);
        if (nextHour >= 0) {
            return LocalTime.of(nextHour, minutes.nextSetBit(0), seconds.nextSetBit(0));
        }
        return null;
    }
}
