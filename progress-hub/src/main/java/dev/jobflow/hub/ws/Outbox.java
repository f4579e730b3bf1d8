package dev.jobflow.hub.ws;

import java.util.ArrayDeque;
import java.util.Iterator;

import io.quarkus.websockets.next.WebSocketConnection;

/**
 * A connection's bounded outbound queue: one frame in flight at a time, the next sent when the
 * socket took the previous one. When it is full, a message of a coalescing room replaces the
 * queued message of the same room (the newer supersedes it); anything else overflows it, and the
 * owner closes the connection as a slow consumer. Memory per connection is bounded either way.
 */
final class Outbox {
    private final WebSocketConnection connection;
    private final int maxFrames;
    private final int maxBytes;
    private final Runnable onOverflow;
    /** Null while nothing waits: most connections are idle most of the time (heap per connection). */
    private ArrayDeque<Frame> queue;
    private int bytes;
    private boolean sending;
    private boolean closed;
    private long coalesced;

    private static final class Frame {
        final String room;
        String text;
        final boolean coalescable;

        Frame(String room, String text, boolean coalescable) {
            this.room = room;
            this.text = text;
            this.coalescable = coalescable;
        }
    }

    Outbox(WebSocketConnection connection, int maxFrames, int maxBytes, Runnable onOverflow) {
        this.connection = connection;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
    }

    /** Queues a control frame (never coalesced). */
    boolean offer(String text) {
        return offer(null, text, false);
    }

    /** Queues a frame; false when the outbox is closed or just overflowed. */
    boolean offer(String room, String text, boolean coalescable) {
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            if (queue.size() >= maxFrames || bytes + text.length() > maxBytes) {
                if (coalescable && replaceQueued(room, text)) {
                    return true;
                }
                closed = true;
                queue = null;
                bytes = 0;
                overflow = true;
            } else {
                queue.add(new Frame(room, text, coalescable));
                bytes += text.length();
            }
        }
        if (overflow) {
            onOverflow.run();
            return false;
        }
        pump();
        return true;
    }

    private boolean replaceQueued(String room, String text) {
        Iterator<Frame> newestFirst = queue.descendingIterator();
        while (newestFirst.hasNext()) {
            Frame frame = newestFirst.next();
            if (frame.coalescable && room.equals(frame.room)) {
                if (bytes - frame.text.length() + text.length() > maxBytes) {
                    return false;
                }
                bytes += text.length() - frame.text.length();
                frame.text = text;
                coalesced++;
                return true;
            }
        }
        return false;
    }

    private void pump() {
        Frame next;
        synchronized (this) {
            if (sending || closed || queue == null) {
                return;
            }
            next = queue.poll();
            if (queue.isEmpty()) {
                queue = null;
            }
            bytes -= next.text.length();
            sending = true;
        }
        try {
            connection.sendText(next.text).subscribe().with(ok -> {
                synchronized (this) {
                    sending = false;
                }
                pump();
            }, failure -> close());
        } catch (RuntimeException e) {
            close(); // the connection is gone: nothing more is sent on it
        }
    }

    synchronized void close() {
        closed = true;
        queue = null;
        bytes = 0;
    }

    synchronized int size() {
        return queue == null ? 0 : queue.size();
    }

    synchronized long coalesced() {
        return coalesced;
    }
}
