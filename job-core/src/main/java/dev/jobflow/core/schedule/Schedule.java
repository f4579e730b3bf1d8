package dev.jobflow.core.schedule;

import java.time.Instant;
import java.util.Optional;

/** One parsed expression: the first fire time strictly after {@code after} and not after {@code limit}. */
interface Schedule {

    Optional<Instant> next(Instant after, Instant limit);
}
