package dev.jobflow.hub.ws;

import java.util.ArrayList;
import java.util.List;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.hub.log.RoomBus;
import dev.jobflow.hub.log.TextFrame;

/**
 * One room of one connection. Until the replay (history or latest) is sent, live entries wait in a
 * bounded list; afterwards every entry above the last offset sent goes to the outbox, so a replay
 * and the live stream join without a gap or a duplicate.
 */
final class Subscription implements RoomBus.Listener {
    private final String room;
    private final Outbox outbox;
    private final boolean coalesce;
    private final int pendingLimit;
    private final Runnable onOverflow;
    private List<Object[]> pending = new ArrayList<>();
    private long lastSent;

    Subscription(String room, Outbox outbox, boolean coalesce, int pendingLimit, Runnable onOverflow) {
        this.room = room;
        this.outbox = outbox;
        this.coalesce = coalesce;
        this.pendingLimit = pendingLimit;
        this.onOverflow = onOverflow;
    }

    String room() {
        return room;
    }

    @Override
    public void onEntry(LogEntry entry, TextFrame frame) {
        boolean overflow = false;
        synchronized (this) {
            if (pending != null) {
                pending.add(new Object[] { entry.offset(), frame });
                overflow = pending.size() > pendingLimit;
                if (overflow) {
                    pending = new ArrayList<>();
                }
            } else if (entry.offset() > lastSent) {
                lastSent = entry.offset();
                outbox.offer(room, frame, coalesce);
            }
        }
        if (overflow) {
            onOverflow.run();
        }
    }

    /** Sends the replay frames, then the live entries that arrived meanwhile, and goes live. */
    synchronized void goLive(List<String> replay, long lastSentOffset) {
        if (pending == null) {
            return;
        }
        for (String frame : replay) {
            outbox.offer(room, TextFrame.of(frame), false);
        }
        lastSent = lastSentOffset;
        for (Object[] waiting : pending) {
            long offset = (Long) waiting[0];
            if (offset > lastSent) {
                lastSent = offset;
                outbox.offer(room, (TextFrame) waiting[1], coalesce);
            }
        }
        pending = null;
    }
}
