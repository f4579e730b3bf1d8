package dev.jobflow.hub.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.LogEntry;

/**
 * This replica's in-order view of the progress log: the tailer advances it entry by entry; every
 * entry goes to the listeners of its room. The cursor is final: every offset at or below it was
 * delivered or will never exist. Subscribing returns the cursor at that instant, atomically with
 * the registration, so history up to the cursor plus live entries after it is exactly complete.
 */
@ApplicationScoped
public class RoomBus {
    private static final Logger LOG = Logger.getLogger(RoomBus.class);

    /** Receives the entries of one room, in offset order; must not block. */
    public interface Listener {
        void onEntry(LogEntry entry, TextFrame frame);
    }

    private final Map<String, Set<Listener>> rooms = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile long cursor = -1;
    private volatile String epoch = "";

    /** Called once the tailer knows where the final part of the log ends. */
    public void start(long cursor, String epoch) {
        synchronized (lock) {
            this.epoch = epoch;
            this.cursor = cursor;
        }
    }

    public boolean started() {
        return cursor >= 0;
    }

    public long cursor() {
        return cursor;
    }

    public String epoch() {
        return epoch;
    }

    /**
     * Entries handed to one listener in a row, at most: enough that a connection's frames of a burst go
     * out in few flushes, few enough that the last subscriber of a room does not wait for the first to
     * get a whole read of the log before it gets anything.
     */
    static final int RUN = 16;

    /**
     * Delivers the next entries (in offset order, the first above the cursor) to each of their rooms (a
     * job's event goes to three: {@link LogEntry#rooms()}) and moves the cursor to the last; returns, per
     * entry, the number of subscriptions it went to.
     *
     * The entries go in runs of {@link #RUN}: a room's listeners get the room's entries of a run one
     * listener after another, not one entry after another, so a connection's frames of a run are offered
     * in a row, and its outbox writes them in one task with one flush, not one per frame. Each room's order
     * is kept; within a run, entries of different rooms may reach a connection in rooms' order (their
     * offsets say where each stands).
     */
    public int[] advance(List<LogEntry> entries) {
        int[] subscriptions = new int[entries.size()];
        synchronized (lock) {
            for (int from = 0; from < entries.size(); from += RUN) {
                int to = Math.min(from + RUN, entries.size());
                Map<String, List<Integer>> byRoom = new LinkedHashMap<>();
                for (int i = from; i < to; i++) {
                    for (String room : entries.get(i).rooms()) {
                        Set<Listener> listeners = rooms.get(room);
                        if (listeners != null && !listeners.isEmpty()) {
                            byRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(i);
                            subscriptions[i] += listeners.size();
                        }
                    }
                }
                byRoom.forEach((room, positions) -> deliver(room, entries, positions));
                cursor = entries.get(to - 1).offset();
            }
            return subscriptions;
        }
    }

    private void deliver(String room, List<LogEntry> entries, List<Integer> positions) {
        // each entry's frame encoded once, for every listener of the room
        List<TextFrame> frames = new ArrayList<>(positions.size());
        for (int i : positions) {
            frames.add(TextFrame.of(Frames.message(room, entries.get(i), epoch)));
        }
        for (Listener listener : rooms.get(room)) {
            for (int n = 0; n < positions.size(); n++) {
                LogEntry entry = entries.get(positions.get(n));
                try {
                    listener.onEntry(entry, frames.get(n));
                } catch (RuntimeException e) {
                    // one connection's failure must not hold back the room, nor the tailer behind it
                    LOG.errorf(e, "delivering offset %d of room %s to a subscriber failed", entry.offset(), room);
                }
            }
        }
    }

    /** Moves the cursor over offsets known never to exist. */
    public void skipTo(long offset) {
        synchronized (lock) {
            cursor = Math.max(cursor, offset);
        }
    }

    /** Registers a listener; returns the cursor at registration (entries above it will be delivered). */
    public long subscribe(String room, Listener listener) {
        synchronized (lock) {
            rooms.computeIfAbsent(room, r -> new CopyOnWriteArraySet<>()).add(listener);
            return cursor;
        }
    }

    public void unsubscribe(String room, Listener listener) {
        synchronized (lock) {
            Set<Listener> listeners = rooms.get(room);
            if (listeners != null) {
                listeners.remove(listener);
                if (listeners.isEmpty()) {
                    rooms.remove(room);
                }
            }
        }
    }

    public int roomCount() {
        return rooms.size();
    }
}
