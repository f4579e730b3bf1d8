package dev.jobflow.core.schedule;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Parses a 5- or 6-field cron expression into a {@link WallClockSchedule}. Day-of-month and
 * day-of-week combine as Vixie cron does: when both are restricted a day matches if either does,
 * because {@code 0 0 1,15 * MON} in every crontab means "the 1st, the 15th and every Monday".
 * Only a field that is exactly {@code *} or {@code ?} counts as unrestricted.
 */
final class CronExpression {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private enum Field {
        SECOND("second", 0, 59, null),
        MINUTE("minute", 0, 59, null),
        HOUR("hour", 0, 23, null),
        DAY_OF_MONTH("day-of-month", 1, 31, null),
        MONTH("month", 1, 12, MONTHS),
        DAY_OF_WEEK("day-of-week", 0, 7, DAYS);

        final String label;
        final int min;
        final int max;
        /** Names for min, min+1, ...; null if the field takes numbers only. */
        final List<String> names;

        Field(String label, int min, int max, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }

        String allowed() {
            String range = min + "-" + max;
            if (names == null) {
                return range;
            }
            return range + " or " + names.get(0) + "-" + names.get(names.size() - 1);
        }
    }

    private CronExpression() {
    }

    static Schedule parse(String expression, ZoneId zone) {
        String[] fields = expression.trim().isEmpty() ? new String[0] : expression.trim().split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new ScheduleExpressionException("field count",
                    "cron expression '" + expression + "' has " + fields.length
                            + " fields: expected 5 (minute hour day-of-month month day-of-week)"
                            + " or 6 (second minute hour day-of-month month day-of-week)");
        }
        int offset = fields.length - 5;
        BitSet seconds = offset == 1 ? parseField(fields[0], Field.SECOND) : only(0);
        BitSet minutes = parseField(fields[offset], Field.MINUTE);
        BitSet hours = parseField(fields[offset + 1], Field.HOUR);
        BitSet monthDays = parseField(fields[offset + 2], Field.DAY_OF_MONTH);
        BitSet months = parseField(fields[offset + 3], Field.MONTH);
        BitSet weekDays = parseField(fields[offset + 4], Field.DAY_OF_WEEK);
        if (weekDays.get(7)) {
            weekDays.set(0);
            weekDays.clear(7);
        }
        boolean either = !unrestricted(fields[offset + 2]) && !unrestricted(fields[offset + 4]);
        return new WallClockSchedule(new CronDays(months, monthDays, weekDays, either),
                new TimesOfDay(hours, minutes, seconds), zone);
    }

    private static boolean unrestricted(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet only(int value) {
        BitSet set = new BitSet();
        set.set(value);
        return set;
    }

    private static BitSet parseField(String text, Field field) {
        BitSet values = new BitSet();
        for (String item : text.split(",", -1)) {
            parseItem(item, text, field, values);
        }
        return values;
    }

    private static void parseItem(String item, String text, Field field, BitSet values) {
        if (item.isEmpty()) {
            throw error(field, text, "empty list element");
        }
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            String stepText = item.substring(slash + 1);
            if (!stepText.matches("\\d{1,4}")) {
                throw error(field, text, "step '" + stepText + "' must be a whole number of at least 1");
            }
            step = Integer.parseInt(stepText);
            if (step == 0) {
                throw error(field, text, "step must be at least 1, not 0");
            }
        }
        int low;
        int high;
        if (range.equals("*") || range.equals("?")) {
            if (range.equals("?") && field != Field.DAY_OF_MONTH && field != Field.DAY_OF_WEEK) {
                throw error(field, text, "'?' is only allowed in day-of-month and day-of-week");
            }
            low = field.min;
            high = field.max;
        } else {
            int dash = range.indexOf('-');
            if (dash == 0 || dash == range.length() - 1) {
                throw error(field, text, "'" + range + "' is not a valid value, must be " + field.allowed());
            }
            if (dash > 0) {
                low = value(range.substring(0, dash), text, field);
                high = value(range.substring(dash + 1), text, field);
                if (low > high) {
                    throw error(field, text, "range " + range + " is reversed; write it low-high");
                }
            } else {
                low = value(range, text, field);
                high = slash >= 0 ? field.max : low;
            }
        }
        for (int value = low; value <= high; value += step) {
            values.set(value);
        }
    }

    private static int value(String token, String text, Field field) {
        if (token.matches("\\d{1,4}")) {
            int value = Integer.parseInt(token);
            if (value < field.min || value > field.max) {
                throw error(field, text,
                        token.equals(text) ? "must be " + field.allowed()
                                : token + " is out of range, must be " + field.allowed());
            }
            return value;
        }
        if (field.names != null) {
            int index = field.names.indexOf(token.toUpperCase(Locale.ROOT));
            if (index >= 0) {
                return field.min + index;
            }
        }
        throw error(field, text, "'" + token + "' is not a valid value, must be " + field.allowed());
    }

    private static ScheduleExpressionException error(Field field, String text, String problem) {
        String part = field.label + " field '" + text + "'";
        return new ScheduleExpressionException(part, "cron " + part + ": " + problem);
    }

    /** Month and day fields; {@code either} is Vixie's rule for a restricted day-of-month and day-of-week. */
    private record CronDays(BitSet months, BitSet monthDays, BitSet weekDays, boolean either) implements DayRule {

        @Override
        public boolean matches(LocalDate date) {
            if (!months.get(date.getMonthValue())) {
                return false;
            }
            boolean monthDay = monthDays.get(date.getDayOfMonth());
            boolean weekDay = weekDays.get(date.getDayOfWeek().getValue() % 7);
            return either ? monthDay || weekDay : monthDay && weekDay;
        }

        @Override
        public boolean monthMayMatch(int month) {
            return months.get(month);
        }
    }
}
