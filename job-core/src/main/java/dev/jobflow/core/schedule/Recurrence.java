package dev.jobflow.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** STUB until the recurrence branch lands: sub-daily calendars and "m h * * *" crons only. */
public final class Recurrence {
    private final String expression;
    private final ZoneId zone;
    private final Instant anchor;
    private final Duration step;
    private final LocalTime daily;

    private Recurrence(String expression, ZoneId zone, Instant anchor, Duration step, LocalTime daily) {
        this.expression = expression;
        this.zone = zone;
        this.anchor = anchor;
        this.step = step;
        this.daily = daily;
    }

    public static Recurrence parse(String cron, String calendar, ZoneId zone, Instant anchor) {
        if ((cron == null) == (calendar == null)) {
            throw new ScheduleExpressionException("expression", "give exactly one of cron and calendar");
        }
        return cron != null ? cron(cron, zone) : calendar(calendar, zone, anchor);
    }

    public static Recurrence cron(String expression, ZoneId zone) {
        String[] f = expression.trim().split("\\s+");
        if (f.length != 5) {
            throw new ScheduleExpressionException("cron", "cron: 5 fields expected");
        }
        return new Recurrence(expression, zone, Instant.EPOCH, null,
                LocalTime.of(Integer.parseInt(f[1]), Integer.parseInt(f[0])));
    }

    public static Recurrence calendar(String expression, ZoneId zone, Instant anchor) {
        String freq = null;
        int interval = 1;
        for (String clause : expression.toUpperCase().split(";")) {
            String[] kv = clause.trim().split("=");
            if (kv[0].equals("FREQ")) {
                freq = kv[1];
            } else if (kv[0].equals("INTERVAL")) {
                interval = Integer.parseInt(kv[1]);
            } else {
                throw new ScheduleExpressionException(kv[0], "calendar: unknown clause " + clause);
            }
        }
        if (freq == null) {
            throw new ScheduleExpressionException("FREQ", "calendar: FREQ is missing");
        }
        Duration unit = switch (freq) {
            case "SECONDLY" -> Duration.ofSeconds(1);
            case "MINUTELY" -> Duration.ofMinutes(1);
            case "HOURLY" -> Duration.ofHours(1);
            default -> throw new ScheduleExpressionException("FREQ", "calendar FREQ=" + freq + ": not supported");
        };
        return new Recurrence(expression, zone, anchor.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                unit.multipliedBy(interval), null);
    }

    public Optional<Instant> next(Instant after) {
        if (step != null) {
            long stepMs = step.toMillis();
            long since = after.toEpochMilli() - anchor.toEpochMilli();
            long k = since < 0 ? 0 : since / stepMs + 1;
            return Optional.of(anchor.plusMillis(k * stepMs));
        }
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i < 3; i++) {
            Instant t = ZonedDateTime.ofLocal(day.plusDays(i).atTime(daily), zone, null).toInstant();
            if (t.isAfter(after)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public List<Instant> next(Instant after, int n) {
        List<Instant> times = new ArrayList<>();
        Instant t = after;
        while (times.size() < n) {
            Optional<Instant> next = next(t);
            if (next.isEmpty()) {
                break;
            }
            t = next.get();
            times.add(t);
        }
        return times;
    }

    public ZoneId zone() {
        return zone;
    }

    public String expression() {
        return expression;
    }
}
