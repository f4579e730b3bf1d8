package dev.jobflow.hub.ws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.WebSocketBase;

import dev.jobflow.hub.log.TextFrame;

/**
 * A connection's bounded outbound queue. Frames go to the socket while less than {@link #WINDOW} of
 * them is written and not yet taken by the kernel (a write's completion says it was); otherwise they
 * wait here, in order, until a completion frees the window. When this queue is full, a message of a
 * coalescing room replaces the queued message of the same room (the newer supersedes it), and anything
 * else overflows it: the owner closes the connection as a slow consumer. Memory per connection is
 * bounded either way: the window and this queue's limits.
 *
 * All writing happens on the connection's event loop, in one task for whatever is ready when it runs:
 * the frames offered since the last task (from any thread), each encoded once for all its
 * subscribers ({@link TextFrame}), are copied there into direct buffers of the channel's allocator,
 * written to the connection's Netty pipeline below Vert.x' WebSocket (no extension is negotiated on
 * /ws) and flushed once. A burst to a connection is a few tasks and flushes, not one hand-over, one
 * WebSocket write and one completion per frame (docs/benchmarks.md, section 5). Frames go out in the
 * order offered; nothing is written once the socket is closed (after a close frame).
 */
final class Outbox {
    /**
     * Bytes of frames written but not yet taken by the kernel, at most, per connection (about
     * Netty's own high-water mark), so that a burst to a reader that keeps up never waits here.
     */
    static final int WINDOW = 64 * 1024;
    private final WebSocketBase socket;
    private final ChannelHandlerContext channel;
    private final int maxFrames;
    private final int maxBytes;
    private final Runnable onOverflow;
    /** Frames waiting for the window. Null while none does: most connections are idle (heap per connection). */
    private ArrayDeque<Queued> queue;
    private int bytes;
    /** Frames taken into the window, for the next task on the event loop to write. Null while none. */
    private List<TextFrame> ready;
    /** Bytes in the window: ready, or written and not yet taken by the kernel. */
    private int inFlight;
    /** A task that writes what is ready is queued on the event loop. */
    private boolean scheduled;
    private boolean closed;
    private long coalesced;

    /** A frame waiting for the window, and its room (for coalescing). */
    private static final class Queued {
        final String room;
        TextFrame frame;
        final boolean coalescable;

        Queued(String room, TextFrame frame, boolean coalescable) {
            this.room = room;
            this.frame = frame;
            this.coalescable = coalescable;
        }
    }

    /** {@code channel}: the connection's handler context in its pipeline, below which the frame encoder sits. */
    Outbox(WebSocketBase socket, ChannelHandlerContext channel, int maxFrames, int maxBytes, Runnable onOverflow) {
        this.socket = socket;
        this.channel = channel;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
    }

    /** Queues a control frame (never coalesced). */
    boolean offer(String text) {
        return offer(null, TextFrame.of(text), false);
    }

    /** Sends or queues a frame; false when the outbox is closed or just overflowed. */
    boolean offer(String room, TextFrame frame, boolean coalescable) {
        boolean schedule = false;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue == null && inFlight < WINDOW) {
                inFlight += frame.size(); // nothing waits and the window is open: it goes with the next task
                if (ready == null) {
                    ready = new ArrayList<>(4);
                }
                ready.add(frame);
                schedule = !scheduled;
                scheduled = true;
            } else {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                if (queue.size() < maxFrames && bytes + frame.size() <= maxBytes) {
                    queue.add(new Queued(room, frame, coalescable));
                    bytes += frame.size();
                } else if (!(coalescable && replaceQueued(room, frame))) {
                    closed = true;
                    queue = null;
                    ready = null;
                    bytes = 0;
                    overflow = true;
                }
            }
        }
        if (overflow) {
            onOverflow.run(); // outside the lock: it closes the socket
            return false;
        }
        if (schedule) {
            schedule();
        }
        return true;
    }

    private boolean replaceQueued(String room, TextFrame frame) {
        Iterator<Queued> newestFirst = queue.descendingIterator();
        while (newestFirst.hasNext()) {
            Queued queued = newestFirst.next();
            if (queued.coalescable && room.equals(queued.room)) {
                if (bytes - queued.frame.size() + frame.size() > maxBytes) {
                    return false;
                }
                bytes += frame.size() - queued.frame.size();
                queued.frame = frame;
                coalesced++;
                return true;
            }
        }
        return false;
    }

    private void schedule() {
        try {
            channel.executor().execute(this::writeReady);
        } catch (RuntimeException loopGone) {
            close();
        }
    }

    /**
     * On the event loop: what is ready and what waiting frames the window now takes, one flush, and
     * once the socket took the last of them (it writes in order, so it took the others too) they
     * leave the window and what waits is sent.
     */
    private void writeReady() {
        List<TextFrame> run;
        synchronized (this) {
            scheduled = false;
            run = ready;
            ready = null;
            if (closed) {
                return;
            }
            while (queue != null && !queue.isEmpty() && inFlight < WINDOW) {
                TextFrame next = queue.poll().frame;
                bytes -= next.size();
                inFlight += next.size();
                if (run == null) {
                    run = new ArrayList<>();
                }
                run.add(next);
            }
            if (queue != null && queue.isEmpty()) {
                queue = null;
            }
            if (run == null) {
                return;
            }
        }
        if (socket.isClosed() || !channel.channel().isActive()) {
            close(); // closed: after a close frame nothing more may be sent
            return;
        }
        ChannelFuture last = null;
        int size = 0;
        for (TextFrame frame : run) {
            // direct: the socket writes it as it is (a heap buffer, Vert.x' default, is copied into one at each write)
            last = channel.write(channel.alloc().directBuffer(frame.size()).writeBytes(frame.wire()));
            size += frame.size();
        }
        channel.flush();
        int written = size;
        last.addListener(done -> taken(done.isSuccess(), written));
    }

    /** A run's last frame was taken by the kernel (or the connection is gone). */
    private void taken(boolean success, int size) {
        if (!success) {
            close(); // the connection is gone: nothing more is sent on it
            return;
        }
        boolean schedule;
        synchronized (this) {
            inFlight -= size;
            schedule = !scheduled && !closed && (ready != null || queue != null) && inFlight < WINDOW;
            scheduled |= schedule;
        }
        if (schedule) {
            schedule();
        }
    }

    synchronized void close() {
        closed = true;
        queue = null;
        ready = null;
        bytes = 0;
    }

    synchronized int size() {
        return queue == null ? 0 : queue.size();
    }

    synchronized long coalesced() {
        return coalesced;
    }
}
