package dev.jobflow.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** Test helpers: instants from wall times, and fire times shown as wall times with their offset. */
final class Times {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private Times() {
    }

    /** The instant of a wall time such as {@code 2026-01-05T10:17:23} (earlier offset if ambiguous). */
    static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    /** Each instant as wall time plus offset, e.g. {@code 2026-03-29T03:30+02:00}. */
    static List<String> wall(List<Instant> instants, ZoneId zone) {
        return instants.stream().map(instant -> ZonedDateTime.ofInstant(instant, zone).toOffsetDateTime().toString())
                .toList();
    }

    /** Each instant as wall time without offset, e.g. {@code 2026-01-06T02:00:23}. */
    static List<String> local(List<Instant> instants, ZoneId zone) {
        return instants.stream().map(instant -> LocalDateTime.ofInstant(instant, zone).toString()).toList();
    }
}
