package dev.jobflow.hub.ws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketBase;

/**
 * A connection's bounded outbound queue. Frames go to the socket while less than {@link #WINDOW} of
 * them is written and not yet taken by the kernel (a write's completion says it was); otherwise they
 * wait here, in order, until a completion frees the window. When this queue is full, a message of a
 * coalescing room replaces the queued message of the same room (the newer supersedes it), and anything
 * else overflows it: the owner closes the connection as a slow consumer. Memory per connection is
 * bounded either way: the window and this queue's limits.
 *
 * Frames are written to the Vert.x socket, and one completion is awaited per run of writes, not per
 * frame. Writes from outside the socket's event loop are queued to it by Vert.x, which
 * flushes once for a run of them.
 *
 * One thread writes at a time (the one that finds nobody writing), in queue order, and never while
 * holding this object's lock: Vert.x completes a write while holding the socket's lock, so writing
 * under ours could deadlock against a completion.
 */
final class Outbox {
    /**
     * Characters of frames written but not yet taken by the kernel, at most, per connection (about
     * Netty's own high-water mark), so that a burst to a reader that keeps up never waits here.
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
    /** A thread is writing (only one does, so frames go out in order). */
    private boolean writing;
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
    }

    /** Queues a control frame (never coalesced). */
    boolean offer(String text) {
        return offer(null, text, false);
    }

    /** Sends or queues a frame; false when the outbox is closed or just overflowed. */
    boolean offer(String room, String text, boolean coalescable) {
        boolean direct = false;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (!writing && queue == null && inFlight < WINDOW) {
                writing = true; // nothing waits and the window is open: this thread writes it now
                inFlight += text.length();
                direct = true;
            } else {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                if (queue.size() < maxFrames && bytes + text.length() <= maxBytes) {
                    queue.add(new Frame(room, text, coalescable));
                    bytes += text.length();
                } else if (!(coalescable && replaceQueued(room, text))) {
                    closed = true;
                    queue = null;
                    bytes = 0;
                    overflow = true;
                }
            }
        }
        if (overflow) {
            onOverflow.run(); // outside the lock: it closes the socket
            return false;
        }
        if (direct) {
            acknowledge(write(text), text.length());
            writeWhatWaits();
        } else {
            pump();
        }
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

    /** Writes what waits, as far as the window allows, unless another thread is writing. */
    private void pump() {
        synchronized (this) {
            if (writing || closed || queue == null) {
                return;
            }
            writing = true;
        }
        writeWhatWaits();
    }

    /** As the writer: runs of waiting frames until none may go (then the writer's role is given up). */
    private void writeWhatWaits() {
        List<String> run;
        while ((run = nextRun()) != null) {
            Future<Void> last = null;
            int chars = 0;
            for (String text : run) {
                chars += text.length();
                last = write(text);
            }
            acknowledge(last, chars);
        }
    }

    /** The frames that may go now, moved into the window; null, and the writer's role given up, when none may. */
    private synchronized List<String> nextRun() {
        if (closed || queue == null || inFlight >= WINDOW) {
            writing = false;
            return null;
        }
        List<String> run = new ArrayList<>(Math.min(queue.size(), 16));
        while (!queue.isEmpty() && inFlight < WINDOW) {
            Frame next = queue.poll();
            bytes -= next.text.length();
            inFlight += next.text.length();
            run.add(next.text);
        }
        if (queue.isEmpty()) {
            queue = null;
        }
        return run;
    }

    private Future<Void> write(String text) {
        try {
            return socket.writeTextMessage(text);
        } catch (RuntimeException gone) {
            return Future.failedFuture(gone);
        }
    }

    /**
     * When the socket took the last of a run of frames ({@code chars} in all; it writes in order, so it
     * took the others too), they leave the window and what waits is sent.
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
