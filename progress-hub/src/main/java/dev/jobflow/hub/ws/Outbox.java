package dev.jobflow.hub.ws;

import java.util.ArrayDeque;
import java.util.Iterator;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketBase;

/**
 * A connection's bounded outbound queue. Frames go straight to the socket while it takes them: less
 * than {@link #WINDOW} written and not yet handed to the kernel, and the socket's own write queue not
 * full (Netty's high-water mark). Otherwise they wait here, in order, until the socket drains; then,
 * when this queue is full, a message of a coalescing room replaces the queued message of the same
 * room (the newer supersedes it), and anything else overflows it: the owner closes the connection as a
 * slow consumer. Memory per connection is bounded either way: the window, the socket's write queue
 * and this queue's limits.
 *
 * Frames are written to the Vert.x socket directly, not through websockets-next's {@code sendText}
 * (a Mutiny {@code Uni} and a captured context per frame were most of the hub's CPU per delivery), and
 * one completion is awaited per batch, not per frame. Writes from outside the socket's event loop are
 * queued to it by Vert.x, which flushes once for a run of them.
 */
final class Outbox {
    /**
     * Characters of frames written but not yet taken by the kernel, at most, per connection: Netty's own
     * high-water mark, so that a burst to a reader that keeps up never waits here (frames written from
     * this queue on the socket's event loop are flushed one by one; written in a row from elsewhere,
     * once).
     */
    static final int WINDOW = 64 * 1024;
    private final WebSocketBase socket;
    private final int maxFrames;
    private final int maxBytes;
    private final Runnable onOverflow;
    /** Null while nothing waits: most connections are idle most of the time (heap per connection). */
    private ArrayDeque<Frame> queue;
    private int bytes;
    /** Characters written and not yet taken by the kernel. */
    private int inFlight;
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

    Outbox(WebSocketBase socket, int maxFrames, int maxBytes, Runnable onOverflow) {
        this.socket = socket;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
        try {
            socket.drainHandler(drained -> pump());
        } catch (IllegalStateException socketClosed) {
            closed = true;
        }
    }

    /** Queues a control frame (never coalesced). */
    boolean offer(String text) {
        return offer(null, text, false);
    }

    /** Sends or queues a frame; false when the outbox is closed or just overflowed. */
    boolean offer(String room, String text, boolean coalescable) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue == null && writable()) {
                acknowledge(write(text), text.length());
                return true;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            if (queue.size() < maxFrames && bytes + text.length() <= maxBytes) {
                queue.add(new Frame(room, text, coalescable));
                bytes += text.length();
                return true;
            }
            if (coalescable && replaceQueued(room, text)) {
                return true;
            }
            closed = true;
            queue = null;
            bytes = 0;
        }
        onOverflow.run();
        return false;
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

    /** Writes what waits, as far as the socket takes it (holding the lock: frames go out in order). */
    private synchronized void pump() {
        if (closed || queue == null) {
            return;
        }
        Future<Void> last = null;
        int written = 0;
        while (!queue.isEmpty() && writable()) {
            Frame next = queue.poll();
            bytes -= next.text.length();
            last = write(next.text);
            written += next.text.length();
        }
        if (queue != null && queue.isEmpty()) {
            queue = null;
        }
        if (last != null) {
            acknowledge(last, written);
        }
    }

    private boolean writable() {
        try {
            return !closed && inFlight < WINDOW && !socket.writeQueueFull();
        } catch (IllegalStateException socketClosed) {
            close();
            return false;
        }
    }

    private Future<Void> write(String text) {
        inFlight += text.length();
        try {
            return socket.writeTextMessage(text);
        } catch (RuntimeException gone) {
            return Future.failedFuture(gone); // the connection is gone: acknowledge() closes the outbox
        }
    }

    /**
     * When the socket took the last of the frames written in a row ({@code chars} in all; it writes in
     * order, so it took the others too), they leave the window and what waits is sent.
     */
    private void acknowledge(Future<Void> last, int chars) {
        last.onComplete(done -> {
            if (done.failed()) {
                close(); // the connection is gone: nothing more is sent on it
                return;
            }
            synchronized (this) {
                inFlight -= chars;
            }
            pump();
        });
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
