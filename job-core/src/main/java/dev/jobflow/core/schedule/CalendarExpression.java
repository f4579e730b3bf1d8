package dev.jobflow.core.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the subset of Oracle DBMS_SCHEDULER calendaring syntax that users paste into jobs, e.g.
 * {@code FREQ=DAILY;BYHOUR=2;BYMINUTE=0}, and builds its schedule the way DBMS_SCHEDULER reads it:
 * <ul>
 * <li>a BY clause finer than FREQ expands (DAILY;BYHOUR=2,14 fires twice a day), one of FREQ's unit
 * or coarser filters (HOURLY;BYHOUR=9 fires only in the 09:00 hour);</li>
 * <li>a field finer than FREQ that no clause sets takes the anchor's (start date's) value: DAILY;BYHOUR=2
 * anchored at 10:17:23 fires at 02:17:23; WEEKLY without BYDAY fires on the anchor's weekday,
 * MONTHLY without BYMONTHDAY or BYDAY on its day of the month, YEARLY on its month and day;</li>
 * <li>INTERVAL counts periods from the anchor's period: days, Monday-started weeks, months or years on
 * the wall calendar, and hours, minutes or seconds on the absolute timeline for sub-daily FREQs;</li>
 * <li>nothing fires before the anchor.</li>
 * </ul>
 */
final class CalendarExpression {

    enum Frequency {
        YEARLY(ChronoUnit.YEARS),
        MONTHLY(ChronoUnit.MONTHS),
        WEEKLY(ChronoUnit.WEEKS),
        DAILY(ChronoUnit.DAYS),
        HOURLY(ChronoUnit.HOURS),
        MINUTELY(ChronoUnit.MINUTES),
        SECONDLY(ChronoUnit.SECONDS);

        final ChronoUnit unit;

        Frequency(ChronoUnit unit) {
            this.unit = unit;
        }

        boolean subDaily() {
            return unit.compareTo(ChronoUnit.DAYS) < 0;
        }
    }

    private static final List<String> CLAUSES = List.of("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYHOUR",
            "BYMINUTE", "BYSECOND");
    /**
     * Oracle clauses this subset leaves out: refused as unsupported rather than unknown, so users are not told Oracle is wrong.
     */
    private static final Set<String> UNSUPPORTED = Set.of("BYWEEKNO", "BYYEARDAY", "BYSETPOS", "BYDATE", "BYPERIOD",
            "INCLUDE", "EXCLUDE", "INTERSECT", "PERIODS");
    private static final List<String> MONTH_NAMES = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAY_NAMES = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d{1,3}");
    private static final Pattern WEEK_DAY = Pattern.compile("([+-]?\\d{1,2})?([A-Z]{3})");

    private Frequency frequency;
    private int interval = 1;
    private BitSet byMonth;
    private int[] byMonthDay;
    private List<CalendarDays.WeekDay> byDay;
    /** The BYDAY token with a number, kept to name it if FREQ turns out not to allow numbers. */
    private String numberedDay;
    private BitSet byHour;
    private BitSet byMinute;
    private BitSet bySecond;

    private CalendarExpression() {
    }

    static Schedule parse(String expression, ZoneId zone, Instant anchor) {
        CalendarExpression parsed = new CalendarExpression();
        parsed.read(expression);
        return parsed.build(zone, anchor);
    }

    private void read(String expression) {
        Map<String, String> clauses = new LinkedHashMap<>();
        for (String raw : expression.split(";", -1)) {
            String clause = raw.trim();
            if (clause.isEmpty()) {
                continue; // a trailing or doubled ';' is harmless
            }
            int equals = clause.indexOf('=');
            if (equals < 0) {
                throw new ScheduleExpressionException(clause,
                        "calendar: '" + clause + "' is not a clause; write NAME=value, e.g. FREQ=DAILY");
            }
            String name = clause.substring(0, equals).trim().toUpperCase(Locale.ROOT);
            String value = clause.substring(equals + 1).trim();
            String shown = name + "=" + value;
            if (UNSUPPORTED.contains(name)) {
                throw new ScheduleExpressionException(shown,
                        "calendar: " + name + " is not supported here; use " + String.join(", ", CLAUSES));
            }
            if (!CLAUSES.contains(name)) {
                throw new ScheduleExpressionException(shown,
                        "calendar: unknown clause " + shown + "; the clauses are " + String.join(", ", CLAUSES));
            }
            if (clauses.containsKey(name)) {
                throw new ScheduleExpressionException(name, "calendar: " + name + " appears twice; give it once");
            }
            if (value.isEmpty()) {
                throw new ScheduleExpressionException(shown, "calendar " + shown + ": the value is missing");
            }
            clauses.put(name, value);
        }
        clauses.forEach(this::readClause);
        if (frequency == null) {
            throw new ScheduleExpressionException("FREQ",
                    "calendar: FREQ is missing; it must be one of " + names(Frequency.values()));
        }
        if (numberedDay != null && frequency != Frequency.MONTHLY && frequency != Frequency.YEARLY) {
            throw new ScheduleExpressionException("BYDAY=" + numberedDay, "calendar BYDAY=" + numberedDay
                    + ": a numbered weekday needs FREQ=MONTHLY or FREQ=YEARLY, not FREQ=" + frequency);
        }
    }

    private void readClause(String name, String value) {
        List<String> tokens = new ArrayList<>();
        for (String token : value.split(",", -1)) {
            tokens.add(token.trim().toUpperCase(Locale.ROOT));
        }
        switch (name) {
            case "FREQ" -> frequency = frequency(single(name, tokens));
            case "INTERVAL" -> interval = number(name, single(name, tokens), 1, 99, "the interval is 1-99");
            case "BYMONTH" -> byMonth = values(name, tokens, 1, 12, MONTH_NAMES, "months are 1-12 or JAN-DEC");
            case "BYMONTHDAY" -> byMonthDay = monthDays(tokens);
            case "BYDAY" -> byDay = weekDays(tokens);
            case "BYHOUR" -> byHour = values(name, tokens, 0, 23, null, "hours are 0-23");
            case "BYMINUTE" -> byMinute = values(name, tokens, 0, 59, null, "minutes are 0-59");
            case "BYSECOND" -> bySecond = values(name, tokens, 0, 59, null, "seconds are 0-59");
            default -> throw new IllegalStateException("clause " + name + " listed but not read");
        }
    }

    private static String single(String name, List<String> tokens) {
        if (tokens.size() != 1) {
            String shown = name + "=" + String.join(",", tokens);
            throw new ScheduleExpressionException(shown, "calendar " + shown + ": " + name + " takes one value");
        }
        return tokens.get(0);
    }

    private static Frequency frequency(String token) {
        for (Frequency frequency : Frequency.values()) {
            if (frequency.name().equals(token)) {
                return frequency;
            }
        }
        throw new ScheduleExpressionException("FREQ=" + token,
                "calendar FREQ=" + token + ": must be one of " + names(Frequency.values()));
    }

    private static int number(String name, String token, int min, int max, String allowed) {
        if (NUMBER.matcher(token).matches()) {
            int value = Integer.parseInt(token);
            if (value >= min && value <= max) {
                return value;
            }
        }
        throw new ScheduleExpressionException(name + "=" + token, "calendar " + name + "=" + token + ": " + allowed);
    }

    private static BitSet values(String name, List<String> tokens, int min, int max, List<String> names,
            String allowed) {
        BitSet values = new BitSet();
        for (String token : tokens) {
            int index = names == null ? -1 : names.indexOf(token);
            values.set(index >= 0 ? min + index : number(name, token, min, max, allowed));
        }
        return values;
    }

    private static int[] monthDays(List<String> tokens) {
        int[] days = new int[tokens.size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = number("BYMONTHDAY", tokens.get(i), -31, 31,
                    "days of the month are 1-31, or -1 to -31 counting back from the month's last day");
            if (days[i] == 0) {
                throw new ScheduleExpressionException("BYMONTHDAY=0",
                        "calendar BYMONTHDAY=0: days of the month are 1-31, or -1 to -31 counting back from the month's last day");
            }
        }
        return days;
    }

    private List<CalendarDays.WeekDay> weekDays(List<String> tokens) {
        List<CalendarDays.WeekDay> days = new ArrayList<>();
        for (String token : tokens) {
            Matcher matcher = WEEK_DAY.matcher(token);
            int day = matcher.matches() ? DAY_NAMES.indexOf(matcher.group(2)) : -1;
            if (day < 0) {
                throw new ScheduleExpressionException("BYDAY=" + token, "calendar BYDAY=" + token
                        + ": days are MON, TUE, WED, THU, FRI, SAT, SUN, optionally numbered like 1MON or -1FRI");
            }
            int ordinal = 0;
            if (matcher.group(1) != null) {
                ordinal = Integer.parseInt(matcher.group(1));
                if (ordinal == 0 || ordinal < -53 || ordinal > 53) {
                    throw new ScheduleExpressionException("BYDAY=" + token, "calendar BYDAY=" + token
                            + ": the number counts that weekday from the start (1 to 53) or, negative, from the end");
                }
                numberedDay = token;
            }
            days.add(new CalendarDays.WeekDay(ordinal, DayOfWeek.of(day + 1)));
        }
        return days;
    }

    private Schedule build(ZoneId zone, Instant anchor) {
        Instant start = anchor.truncatedTo(ChronoUnit.SECONDS);
        LocalDateTime local = LocalDateTime.ofInstant(start, zone);
        if (frequency.subDaily()) {
            return timeline(zone, start, local);
        }
        boolean dayGiven = byMonthDay != null || byDay != null;
        BitSet months = byMonth;
        if (months == null && frequency == Frequency.YEARLY && !dayGiven) {
            months = only(local.getMonthValue());
        }
        int[] monthDays = byMonthDay;
        if (!dayGiven && (frequency == Frequency.MONTHLY || frequency == Frequency.YEARLY)) {
            monthDays = new int[] { local.getDayOfMonth() };
        }
        List<CalendarDays.WeekDay> weekDays = byDay;
        if (!dayGiven && frequency == Frequency.WEEKLY) {
            weekDays = List.of(new CalendarDays.WeekDay(0, local.getDayOfWeek()));
        }
        boolean ordinalsInYear = frequency == Frequency.YEARLY && byMonth == null;
        CalendarDays days = new CalendarDays(months, monthDays, weekDays, ordinalsInYear, frequency.unit, interval,
                local.toLocalDate());
        TimesOfDay times = new TimesOfDay(orAnchor(byHour, local.getHour()), orAnchor(byMinute, local.getMinute()),
                orAnchor(bySecond, local.getSecond()));
        return new WallClockSchedule(days, times, zone);
    }

    private Schedule timeline(ZoneId zone, Instant start, LocalDateTime local) {
        CalendarDays days = new CalendarDays(byMonth, byMonthDay, byDay, false, null, 1, local.toLocalDate());
        long startSecond = start.getEpochSecond();
        BitSet seconds = orAnchor(bySecond, local.getSecond());
        List<Long> offsets = new ArrayList<>();
        long firstPeriod;
        switch (frequency) {
            case HOURLY -> {
                firstPeriod = startSecond - local.getMinute() * 60L - local.getSecond();
                BitSet minutes = orAnchor(byMinute, local.getMinute());
                minutes.stream().forEach(minute -> seconds.stream().forEach(second -> offsets.add(minute * 60L + second)));
            }
            case MINUTELY -> {
                firstPeriod = startSecond - local.getSecond();
                seconds.stream().forEach(second -> offsets.add((long) second));
            }
            default -> {
                firstPeriod = startSecond;
                offsets.add(0L);
            }
        }
        long step = interval * frequency.unit.getDuration().getSeconds();
        long[] sorted = offsets.stream().mapToLong(Long::longValue).sorted().toArray();
        return new TimelineSchedule(firstPeriod, step, sorted, startSecond, days, byHour, byMinute, bySecond, zone);
    }

    private static BitSet orAnchor(BitSet given, int anchorValue) {
        return given != null ? (BitSet) given.clone() : only(anchorValue);
    }

    private static BitSet only(int value) {
        BitSet set = new BitSet();
        set.set(value);
        return set;
    }

    private static String names(Frequency[] values) {
        List<String> names = new ArrayList<>();
        for (Frequency value : values) {
            names.add(value.name());
        }
        return String.join(", ", names);
    }
}
