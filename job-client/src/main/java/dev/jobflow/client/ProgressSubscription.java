package dev.jobflow.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A live subscription to one job's room {@code job:{id}} on the progress-hub, from
 * {@link JobflowClient#subscribe(long, ProgressListener)}. Its first subscribe asks for the room's whole history
 * ({@code since: 0}), so nothing is lost between submitting a job and subscribing. The hub replays it when it can
 * prove it complete; once its retention has trimmed the log (or for more than its {@code resume-max} messages) it
 * cannot, and the subscription starts with the room's latest message instead: the job's current state. From the
 * first delivered message on, the listener sees every message of the room, in order.
 *
 * <p>
 * Like the browser client ({@code /client/jobflow.js}): it authenticates with a token from job-api
 * ({@code POST /api/v1/tokens}) in an {@code auth} frame, refreshes it over the open connection at 80 % of its
 * life (but at least 5 s, or half a short life, before it ends), and after any dropped connection (hub restart,
 * 4503 drain, 4408 slow consumer, 4401 expired token, network failure, a hub silent for three ping intervals)
 * reconnects with jittered exponential backoff and subscribes again with {@code since = the last offset it delivered}: the hub
 * replays exactly what was missed, and the subscription
 * delivers only offsets above the last one, so the listener sees no gap and no duplicate. When the hub cannot
 * prove a resume complete it says so ({@code recovered: false}) and the listener's
 * {@link ProgressListener#onGap(String)} is told. A 4403 close, a refused subscribe (forbidden, limit) or a token
 * job-api refuses with a 4xx (bad credential, no hub user) ends the subscription ({@link State#CLOSED}, after
 * {@link ProgressListener#onError(Throwable)}).
 *
 * <p>
 * Thread-safe; {@link #close()} is idempotent and may be called from the listener.
 */
public final class ProgressSubscription implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProgressSubscription.class.getName());
    /** Close codes after which the subscription reconnects (besides every code below 4000). */
    private static final Set<Integer> RETRYABLE_CLOSE = Set.of(4401, 4408, 4429, 4503);
    private static final int TOO_MANY_CONNECTIONS = 4429;

    /** Where the subscription is. */
    public enum State {
        /** Getting a token, connecting, or waiting to reconnect. */
        CONNECTING,
        /** Subscribed: messages flow. */
        OPEN,
        /** Closed by {@link #close()} or refused for good; it will not reconnect. */
        CLOSED
    }

    private final String room;
    private final URI wsUri;
    private final HttpClient http;
    private final Supplier<JobflowClient.HubToken> tokens;
    private final ProgressListener listener;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final Duration pingInterval;
    private final ScheduledThreadPoolExecutor worker;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private final Runnable onClosed;

    // Only the worker thread touches these.
    private int generation;
    private WebSocket socket;
    private CompletableFuture<WebSocket> sending;
    private int subscribedOn = -1;
    private long lastOffset;
    private String epoch;
    private int attempt;
    private ScheduledFuture<?> refreshTimer;
    private ScheduledFuture<?> pingTimer;
    private long lastHeardNanos;

    private volatile State state = State.CONNECTING;
    private volatile boolean closed;
    private volatile long deliveredOffset;

    ProgressSubscription(String room, URI wsUri, HttpClient http, Supplier<JobflowClient.HubToken> tokens,
            ProgressListener listener, Duration minDelay, Duration maxDelay, Duration pingInterval, Runnable onClosed) {
        this.room = room;
        this.wsUri = wsUri;
        this.http = http;
        this.tokens = tokens;
        this.listener = listener;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.pingInterval = pingInterval;
        this.onClosed = onClosed;
        this.worker = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jobflow-subscription-" + room);
            thread.setDaemon(true);
            return thread;
        });
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        worker.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        worker.setRemoveOnCancelPolicy(true);
    }

    void start() {
        worker.execute(this::connect);
    }

    /** The room, {@code job:{id}}. */
    public String room() {
        return room;
    }

    public State state() {
        return state;
    }

    /** The offset of the last message delivered to the listener (0 before the first): a resume starts after it. */
    public long lastOffset() {
        return deliveredOffset;
    }

    /** How many times the subscription has been established: 1 without any reconnect. */
    public int connections() {
        return connections.get();
    }

    /** How many pongs the hub has answered the pings with (for tests of the liveness check). */
    int pongs() {
        return pongs.get();
    }

    /** Stops the subscription: no reconnect, no more calls to the listener once pending ones are done. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state = State.CLOSED;
        try {
            worker.execute(() -> {
                generation++;
                cancelTimers();
                WebSocket open = socket;
                socket = null;
                if (open != null) {
                    open.sendClose(WebSocket.NORMAL_CLOSURE, "client closed").orTimeout(2, TimeUnit.SECONDS)
                            .whenComplete((ws, error) -> open.abort());
                }
                worker.shutdown();
            });
        } catch (RejectedExecutionException alreadyStopped) {
            // the worker is gone already
        }
        onClosed.run();
    }

    // ---- on the worker thread ----

    private void connect() {
        if (closed) {
            return;
        }
        state = State.CONNECTING;
        int gen = ++generation;
        JobflowClient.HubToken token;
        try {
            token = tokens.get();
        } catch (JobflowException e) {
            report(e);
            if (e.status() >= 400 && e.status() < 500 && e.status() != 408 && e.status() != 429) {
                close(); // refused (bad credential, no hub user, forbidden): retrying will not help
            } else {
                retry();
            }
            return;
        } catch (RuntimeException e) {
            report(e);
            retry();
            return;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(wsUri, new Frames(gen))
                .whenComplete((ws, error) -> execute(() -> {
                    if (gen != generation || closed) {
                        if (ws != null) {
                            ws.abort();
                        }
                        return;
                    }
                    if (error != null) {
                        report(JobflowException.transport("cannot connect to " + wsUri, unwrap(error)));
                        retry();
                        return;
                    }
                    socket = ws;
                    sending = CompletableFuture.completedFuture(ws);
                    lastHeardNanos = System.nanoTime();
                    send(Map.of("type", "auth", "token", token.token()));
                    schedulePing(gen);
                }));
    }

    private void onFrame(int gen, String text) {
        if (gen != generation || closed) {
            return;
        }
        lastHeardNanos = System.nanoTime();
        Map<String, Object> frame;
        try {
            frame = Json.readObject(text);
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a frame that is not a JSON object: {0}", text);
            return;
        }
        String type = frame.get("type") instanceof String s ? s : "";
        switch (type) {
            case "authenticated" -> onAuthenticated(gen, frame);
            case "subscribed" -> onSubscribed(frame);
            case "message" -> onMessage(frame);
            case "error" -> onErrorFrame(frame);
            default -> {
                // unsubscribed, or a frame type a newer hub sends: nothing to do
            }
        }
    }

    private void onAuthenticated(int gen, Map<String, Object> frame) {
        if (refreshTimer != null) {
            refreshTimer.cancel(false);
        }
        if (frame.get("expiresAt") instanceof Number expiresAt) {
            // at 80 % of its life as the browser client, but leaving at least 5 s (or half a short life) for
            // getting the new token: a late refresh costs a 4401 and a reconnect
            long lifeMs = expiresAt.longValue() * 1000 - System.currentTimeMillis();
            long inMs = Math.max(500, Math.max(Math.min((long) (lifeMs * 0.8), lifeMs - 5000), lifeMs / 2));
            refreshTimer = worker.schedule(() -> refreshToken(gen), inMs, TimeUnit.MILLISECONDS);
        }
        if (subscribedOn != gen) {
            subscribedOn = gen;
            Map<String, Object> subscribe = new LinkedHashMap<>();
            subscribe.put("type", "subscribe");
            subscribe.put("room", room);
            subscribe.put("since", lastOffset);
            if (epoch != null) {
                subscribe.put("epoch", epoch);
            }
            send(subscribe);
        }
    }

    private void onSubscribed(Map<String, Object> frame) {
        if (!room.equals(frame.get("room"))) {
            return;
        }
        String frameEpoch = frame.get("epoch") instanceof String s ? s : null;
        if (Boolean.FALSE.equals(frame.get("recovered"))) {
            if (epoch != null && !epoch.equals(frameEpoch)) {
                lastOffset = 0; // another epoch: its offsets start again; the latest message follows
            }
            if (deliveredOffset > 0) {
                // messages after the last delivered one are lost; before the first delivery it only means
                // the history is not replayed and the subscription starts at the latest message
                call(() -> listener.onGap(room));
            }
        }
        epoch = frameEpoch;
        attempt = 0;
        connections.incrementAndGet();
        state = State.OPEN;
    }

    private void onMessage(Map<String, Object> frame) {
        if (!room.equals(frame.get("room")) || !(frame.get("offset") instanceof Number offsetValue)) {
            return;
        }
        long offset = offsetValue.longValue();
        if (offset <= lastOffset) {
            return; // already delivered (a replay overlapping what this subscription saw)
        }
        lastOffset = offset;
        deliveredOffset = offset;
        if (frame.get("epoch") instanceof String e) {
            epoch = e;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = frame.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        ProgressEvent event = new ProgressEvent(room, offset, epoch, data);
        call(() -> listener.onEvent(event));
    }

    private void onErrorFrame(Map<String, Object> frame) {
        String code = String.valueOf(frame.get("code"));
        JobflowException error = new JobflowException(0, null, "Hub refused a frame: " + code,
                String.valueOf(frame.get("message")), frame, null);
        report(error);
        if (frame.get("room") != null && !room.equals(frame.get("room"))) {
            return;
        }
        if ("unavailable".equals(code) || "unauthorized".equals(code)) {
            dropAndRetry(); // the hub is starting, or the token was not taken in time: try again
        } else if (frame.get("room") != null) {
            close(); // forbidden, limit, bad_frame for our room: retrying will not help
        }
    }

    private void handleClose(int gen, int code, String reason) {
        if (gen != generation) {
            return;
        }
        generation++; // whatever of this connection is still under way is stale now
        socket = null;
        cancelTimers();
        if (closed) {
            return;
        }
        if (code < 4000 || RETRYABLE_CLOSE.contains(code)) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: connection closed ({1} {2}); resuming after offset {3}", room,
                    code, reason, lastOffset);
            if (code == TOO_MANY_CONNECTIONS) {
                attempt = Math.max(attempt, 10); // back off fully
            }
            report(new JobflowException(0, null, "Hub closed the connection; resuming",
                    code + " " + reason + "; resuming after offset " + lastOffset, Map.of("closeCode", code), null));
            retry();
        } else {
            report(new JobflowException(0, null, "Hub closed the connection", code + " " + reason, Map.of("closeCode",
                    code), null));
            close();
        }
    }

    private void handleFailure(int gen, Throwable error) {
        if (gen != generation) {
            return;
        }
        generation++;
        socket = null;
        cancelTimers();
        if (!closed) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: connection failed ({1}); resuming after offset {2}", room, error,
                    lastOffset);
            report(JobflowException.transport("the hub connection failed; resuming after offset " + lastOffset,
                    error));
            retry();
        }
    }

    private void refreshToken(int gen) {
        if (gen != generation || closed || socket == null) {
            return;
        }
        try {
            send(Map.of("type", "auth", "token", tokens.get().token()));
        } catch (RuntimeException e) {
            report(e); // the hub closes with 4401 when the old token expires; the reconnect fetches a new one
        }
    }

    private void schedulePing(int gen) {
        if (pingInterval.isZero() || pingInterval.isNegative()) {
            return;
        }
        long every = pingInterval.toMillis();
        pingTimer = worker.scheduleWithFixedDelay(() -> {
            if (gen != generation || socket == null) {
                return;
            }
            if (System.nanoTime() - lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(every * 3)) {
                report(new JobflowException(0, null, "Hub silent", "no frame or pong for " + every * 3
                        + " ms; reconnecting, resuming after offset " + lastOffset, Map.of(), null));
                dropAndRetry();
                return;
            }
            enqueue(ws -> ws.sendPing(ByteBuffer.allocate(0)));
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Abandons the current connection and reconnects (resuming after the last offset). */
    private void dropAndRetry() {
        generation++;
        WebSocket open = socket;
        socket = null;
        cancelTimers();
        if (open != null) {
            open.abort();
        }
        retry();
    }

    private void retry() {
        if (closed) {
            return;
        }
        state = State.CONNECTING;
        attempt++;
        long base = Math.min(maxDelay.toMillis(), minDelay.toMillis() * (1L << Math.min(attempt, 10)));
        long delay = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble() / 2));
        worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Sends a frame after the ones before it. */
    private void send(Map<String, Object> frame) {
        String text = Json.write(frame);
        enqueue(ws -> ws.sendText(text, true));
    }

    /**
     * Runs a send after the sends before it (the JDK's WebSocket takes one message of a kind at a time); a failed
     * send abandons the connection and reconnects.
     */
    private void enqueue(Function<WebSocket, CompletableFuture<WebSocket>> sendOne) {
        WebSocket open = socket;
        if (open == null) {
            return;
        }
        sending = sending.thenCompose(sendOne);
        sending.exceptionally(error -> {
            execute(() -> {
                if (socket == open) {
                    dropAndRetry();
                }
            });
            return null;
        });
    }

    private void cancelTimers() {
        if (refreshTimer != null) {
            refreshTimer.cancel(false);
            refreshTimer = null;
        }
        if (pingTimer != null) {
            pingTimer.cancel(false);
            pingTimer = null;
        }
    }

    private void report(Throwable error) {
        call(() -> listener.onError(error));
    }

    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the progress listener of " + room + " failed", e);
        }
    }

    private void execute(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException closedMeanwhile) {
            // closed: nothing more to do
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause()
                : error;
    }

    /** One connection's frames, handed to the worker; the next frame is requested once one is handled. */
    private final class Frames implements WebSocket.Listener {
        private final int gen;
        private final StringBuilder partial = new StringBuilder();

        Frames(int gen) {
            this.gen = gen;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            String text = partial.toString();
            partial.setLength(0);
            execute(() -> {
                onFrame(gen, text);
                webSocket.request(1);
            });
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            execute(() -> {
                if (gen == generation) {
                    lastHeardNanos = System.nanoTime();
                    pongs.incrementAndGet();
                }
            });
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            execute(() -> handleClose(gen, statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            execute(() -> handleFailure(gen, error));
        }
    }

    @Override
    public String toString() {
        return "ProgressSubscription[" + room + ", " + state + ", lastOffset=" + deliveredOffset + "]";
    }
}
