package dev.jobflow.hub.log;

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
        void onEntry(LogEntry entry, String frame);
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
     * Delivers the next entry (its offset is above the cursor) to each of its rooms (a job's event
     * goes to three: {@link LogEntry#rooms()}) and moves the cursor to it; returns the number of
     * subscriptions it went to.
     */
    public int advance(LogEntry entry) {
        synchronized (lock) {
            int subscriptions = 0;
            for (String room : entry.rooms()) {
                subscriptions += deliver(room, entry);
            }
            cursor = entry.offset();
            return subscriptions;
        }
    }

    private int deliver(String room, LogEntry entry) {
        Set<Listener> listeners = rooms.get(room);
        if (listeners == null || listeners.isEmpty()) {
            return 0;
        }
        String frame = Frames.message(room, entry, epoch);
        for (Listener listener : listeners) {
            try {
                listener.onEntry(entry, frame);
            } catch (RuntimeException e) {
                // one connection's failure must not hold back the room, nor the tailer behind it
                LOG.errorf(e, "delivering offset %d of room %s to a subscriber failed", entry.offset(), room);
            }
        }
        return listeners.size();
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
