package dev.jobflow.hub.ws;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.StreamInfo;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.hub.config.HubConfig;
import dev.jobflow.hub.log.Frames;
import dev.jobflow.hub.log.RoomBus;

/**
 * What a new subscription is sent before it goes live. {@code cursor} is the bus cursor at the
 * moment it registered: live entries are exactly those above it, so the replay covers up to it.
 * <ul>
 * <li>{@code since} given: the room's messages in (since, cursor], when that is provably complete
 * (same epoch, nothing retained-away, at most resume-max of them): {@code recovered: true}. Otherwise
 * {@code recovered: false} and the room's latest message instead.</li>
 * <li>{@code latest}: the room's latest message.</li>
 * </ul>
 */
@ApplicationScoped
public class Replays {
    private final ProgressLog log;
    private final RoomBus bus;
    private final int resumeMax;

    Replays(ProgressLog log, RoomBus bus, HubConfig config) {
        this.log = log;
        this.bus = bus;
        this.resumeMax = config.ws().resumeMax();
    }

    /** The replay frames (first the subscribed frame) and the last offset they cover. */
    record Replay(List<String> frames, long lastSent) {
    }

    Uni<Replay> replay(String room, long cursor, Long since, String epoch, boolean latest) {
        String current = bus.epoch();
        if (since == null) {
            return latest ? latestFrames(room, cursor, true)
                    : Uni.createFrom()
                            .item(new Replay(List.of(Frames.subscribed(room, true, cursor, current)), cursor));
        }
        // history first, then the stream info: a trim that removed part of the history shows in the floor
        return log.roomHistory(room, since, resumeMax + 1).flatMap(history -> log.streamInfo().flatMap(info -> {
            List<LogEntry> within = history.stream().filter(e -> e.offset() <= cursor).toList();
            boolean complete = within.size() <= resumeMax && (within.size() < history.size() || history.size() <= resumeMax);
            if (recoverable(since, epoch, info) && complete) {
                List<String> frames = new ArrayList<>();
                long last = Math.max(since, cursor);
                frames.add(Frames.subscribed(room, true, last, current));
                within.forEach(e -> frames.add(Frames.message(e, current)));
                return Uni.createFrom().item(new Replay(frames, last));
            }
            return latestFrames(room, cursor, false);
        }));
    }

    private boolean recoverable(long since, String epoch, StreamInfo info) {
        boolean sameEpoch = epoch == null || epoch.isEmpty() || epoch.equals(info.epoch());
        return sameEpoch && since + 1 >= info.retainedFrom() && since <= info.head();
    }

    private Uni<Replay> latestFrames(String room, long cursor, boolean recovered) {
        // the latest may be above the cursor (the tailer has not reached it yet): the subscription then
        // starts at it, and the live copy of it and of anything older in the room is not sent again
        return log.latest(room).map(found -> {
            long from = found.map(e -> Math.max(cursor, e.offset())).orElse(cursor);
            List<String> frames = new ArrayList<>();
            frames.add(Frames.subscribed(room, recovered, from, bus.epoch()));
            found.ifPresent(e -> frames.add(Frames.message(e, bus.epoch())));
            return new Replay(frames, from);
        });
    }
}
