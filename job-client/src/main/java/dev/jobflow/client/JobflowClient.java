package dev.jobflow.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A client of Jobflow's job-api (REST) and progress-hub (WebSocket), on the JDK's {@link HttpClient} and
 * Jackson. Thread-safe: build one and share it; {@link #close()} ends its subscriptions.
 *
 * <pre>{@code
 * try (JobflowClient client = JobflowClient.builder()
 *         .apiUrl("http://localhost:8080").hubUrl("http://localhost:8082")
 *         .apiKey(System.getenv("JOBFLOW_API_KEY")).hubUser("alice").build()) {
 *     Job job = client.submit(SubmitRequest.builder("hello", "demo").owner("alice").build());
 *     Job done = client.awaitCompletion(job.id(), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <p>
 * Every failed call throws {@link JobflowException}: for an HTTP error with the problem+json fields job-api
 * answered with, otherwise (no answer) with status 0 and the I/O failure as its cause. Calls that are safe to
 * repeat (reads, cancel, tokens, and a submit that carries an idempotency key) are retried on a connection
 * failure or a 502/503/504, {@link Builder#maxRetries(int) maxRetries} times with backoff; a submit without a key
 * is never retried by the client, since a lost answer could then mean two jobs.
 */
public final class JobflowClient implements AutoCloseable {
    /** The header job-api reads an idempotency key from. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    private static final Set<Integer> RETRYABLE_STATUS = Set.of(502, 503, 504);
    private static final String USER_AGENT = "jobflow-java-client";

    private final URI apiUrl;
    private final URI hubUrl;
    private final Map<String, String> headers;
    private final String hubUser;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration retryDelay;
    private final Duration reconnectMin;
    private final Duration reconnectMax;
    private final Duration pingInterval;
    private final HttpClient http;
    private final Set<ProgressSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    private JobflowClient(Builder b) {
        this.apiUrl = withoutTrailingSlash(Objects.requireNonNull(b.apiUrl, "apiUrl is required"));
        this.hubUrl = b.hubUrl == null ? null : withoutTrailingSlash(b.hubUrl);
        this.headers = Map.copyOf(b.headers);
        this.hubUser = b.hubUser;
        this.requestTimeout = b.requestTimeout;
        this.maxRetries = b.maxRetries;
        this.retryDelay = b.retryDelay;
        this.reconnectMin = b.reconnectMin;
        this.reconnectMax = b.reconnectMax;
        this.pingInterval = b.pingInterval;
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- jobs ----

    /**
     * Submits one job ({@code POST /api/v1/jobs}). With an {@link SubmitRequest#idempotencyKey() idempotency key}
     * it is sent as {@value #IDEMPOTENCY_KEY_HEADER}: the same key returns the caller's existing job (also after
     * a retry whose first answer was lost) instead of a second one; the same key with a different request is a
     * 422.
     *
     * @return the job as stored (QUEUED when new)
     * @throws JobflowException 400 (invalid; {@link JobflowException#errors()} names the fields), 401 (no or a
     *         bad credential), 403 (a person naming another owner), 422 (key reused), or no answer
     */
    public Job submit(SubmitRequest request) {
        Objects.requireNonNull(request, "request");
        HttpRequest.Builder http = post("/api/v1/jobs", request.body());
        String key = request.idempotencyKey();
        if (key != null && !key.isBlank()) {
            http.header(IDEMPOTENCY_KEY_HEADER, key);
        }
        return call("submit", http, key != null && !key.isBlank(), Job.class);
    }

    /**
     * Submits several jobs, in order, one request each: not atomic ({@link #submitBatch} is, for up to 1,000).
     * Every request is sent with an idempotency key (its own, or a random one this method gives it), so the
     * retries of a lost answer never make a duplicate, and neither does submitting the same keyed requests again:
     * when one fails, the {@link SubmitAllException} carries the jobs made so far and every request with its key;
     * pass {@link SubmitAllException#requests()} to {@code submitAll} again to finish the batch without
     * duplicates.
     *
     * @return the jobs, in the order of the requests
     * @throws SubmitAllException at the first request that fails (the ones after it are not sent)
     */
    public List<Job> submitAll(List<SubmitRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        List<SubmitRequest> keyed = requests.stream()
                .map(r -> r.idempotencyKey() == null || r.idempotencyKey().isBlank()
                        ? r.withIdempotencyKey("batch-" + UUID.randomUUID())
                        : r)
                .toList();
        List<Job> jobs = new ArrayList<>(keyed.size());
        for (int i = 0; i < keyed.size(); i++) {
            try {
                jobs.add(submit(keyed.get(i)));
            } catch (JobflowException e) {
                throw new SubmitAllException(e, i, jobs, keyed);
            }
        }
        return List.copyOf(jobs);
    }

    /**
     * Submits 1 to 1,000 jobs in one request ({@code POST /api/v1/jobs/batch}): written in one transaction, all
     * or none. With an idempotency key (null for none) the same batch sent again returns its jobs instead of
     * duplicates, so a lost answer is retried safely; the requests' own keys are not used.
     *
     * @return the jobs, in the order of the requests
     * @throws JobflowException 400 naming {@code jobs[i].field} (nothing was written), 401, 403, 422 (the key
     *         was used for another batch), or no answer
     */
    public List<Job> submitBatch(List<SubmitRequest> requests, String idempotencyKey) {
        Objects.requireNonNull(requests, "requests");
        HttpRequest.Builder http = post("/api/v1/jobs/batch",
                Map.of("jobs", requests.stream().map(SubmitRequest::body).toList()));
        boolean keyed = idempotencyKey != null && !idempotencyKey.isBlank();
        if (keyed) {
            http.header(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
        }
        return call("submit batch", http, keyed, JobList.class).items();
    }

    /** The answer of the batch submit. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobList(List<Job> items) {
    }

    /**
     * One job ({@code GET /api/v1/jobs/{id}}).
     *
     * @throws JobflowException 404 when there is no such job
     */
    public Job get(long id) {
        return call("get job " + id, request("/api/v1/jobs/" + id).GET(), true, Job.class);
    }

    /**
     * One page of jobs, newest first ({@code GET /api/v1/jobs}); for the next page pass
     * {@code query.after(page)} while {@link JobPage#hasNext()}.
     */
    public JobPage list(ListQuery query) {
        Objects.requireNonNull(query, "query");
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        if (query.status() != null) {
            params.add("status=" + query.status().name());
        }
        if (query.owner() != null) {
            params.add("owner=" + URLEncoder.encode(query.owner(), StandardCharsets.UTF_8));
        }
        if (query.before() != null) {
            params.add("before=" + query.before());
        }
        if (query.limit() != null) {
            params.add("limit=" + query.limit());
        }
        return call("list jobs", request("/api/v1/jobs" + params).GET(), true, JobPage.class);
    }

    /**
     * Cancels a job ({@code POST /api/v1/jobs/{id}/cancel}): a queued job comes back CANCELLED; a running one
     * with {@code cancelRequested} and ends CANCELLED when its handler sees the request (see
     * {@link #awaitCompletion(long, Duration)}).
     *
     * @throws JobflowException 409 (extra {@code jobStatus}) when the job already completed or failed; 404; 403
     */
    public Job cancel(long id) {
        return call("cancel job " + id, post("/api/v1/jobs/" + id + "/cancel", Map.of()), true,
                Job.class);
    }

    /**
     * Waits until the job is in an end state (COMPLETED, FAILED or CANCELLED) and returns it as job-api reads it
     * then. With a hub URL (and, with an API key, a hub user) it follows the job's room on the hub and reads the job
     * when an end state is reported, with a slow safety poll (2 s up to 15 s) for while the hub is away; otherwise
     * it polls job-api with a backoff from 200 ms up to 5 s.
     *
     * @throws TimeoutException when the job is not in an end state within {@code timeout}
     * @throws JobflowException when job-api fails (e.g. 404: no such job)
     */
    public Job awaitCompletion(long id, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Job job = get(id);
        if (job.isTerminal()) {
            return job;
        }
        Semaphore changed = new Semaphore(0);
        ProgressSubscription subscription = !canSubscribe() ? null : subscribe(id, new ProgressListener() {
            @Override
            public void onEvent(ProgressEvent event) {
                if (event.isTerminal()) {
                    changed.release();
                }
            }

            @Override
            public void onGap(String room) {
                changed.release();
            }
        });
        try {
            long pollMs = subscription == null ? 200 : 2000;
            while (true) {
                boolean live = subscription != null && subscription.state() != ProgressSubscription.State.CLOSED;
                long maxPollMs = live ? 15000 : 5000;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("job " + id + " is still " + job.status() + " after " + timeout);
                }
                changed.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(pollMs)), TimeUnit.NANOSECONDS);
                changed.drainPermits();
                job = get(id);
                if (job.isTerminal()) {
                    return job;
                }
                pollMs = Math.min(maxPollMs, Math.max(200, pollMs * 3 / 2));
            }
        } finally {
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    // ---- progress ----

    /**
     * Follows the job's room {@code job:{id}} on the progress-hub: the room's history first where the hub can replay
     * it (else its latest message), then live messages, each offset once and in order, across reconnects (see
     * {@link ProgressSubscription}). The token comes from job-api ({@code POST /api/v1/tokens}) as the job-monitor
     * page gets it: a person's own, or with an API key for the {@link Builder#hubUser(String) hub user}.
     * Returns at once; the connection is made in the background.
     *
     * @throws IllegalStateException when the client has no hub URL, or an API key but no hub user
     */
    public ProgressSubscription subscribe(long jobId, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (hubUrl == null) {
            throw new IllegalStateException("subscribe needs the hub's URL: JobflowClient.builder().hubUrl(...)");
        }
        if (!canSubscribe()) {
            throw new IllegalStateException("with an API key, subscribe needs the user whose hub token it gets: "
                    + "JobflowClient.builder().hubUser(...)");
        }
        URI ws = URI.create(hubUrl.toString().replaceFirst("^http", "ws") + "/ws");
        ProgressSubscription[] self = new ProgressSubscription[1];
        ProgressSubscription subscription = new ProgressSubscription("job:" + jobId, ws, http, this::hubToken,
                listener, reconnectMin, reconnectMax, pingInterval, () -> subscriptions.remove(self[0]));
        self[0] = subscription;
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    /** A hub URL, and a way to get a token: a hub user, or a credential that is not (known to be) an API key. */
    private boolean canSubscribe() {
        return hubUrl != null && (hubUser != null || !headers.containsKey("X-Api-Key"));
    }

    /** A hub token and when it expires (epoch seconds). */
    record HubToken(String token, long expiresAt) {
    }

    /** {@code POST /api/v1/tokens}: {@code {"user": hubUser}}, or {@code {}} for a person's own token. */
    HubToken hubToken() {
        Map<String, Object> body = hubUser == null ? Map.of() : Map.of("user", hubUser);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = call("get a hub token", post("/api/v1/tokens", body), true,
                Map.class);
        if (!(answer.get("token") instanceof String token)) {
            throw new JobflowException(0, null, "Unexpected answer", "POST /api/v1/tokens gave no token", Map.of(),
                    null);
        }
        long expiresAt = answer.get("expiresAt") instanceof Number n ? n.longValue() : 0;
        return new HubToken(token, expiresAt);
    }

    /** Ends every open subscription. */
    @Override
    public void close() {
        List.copyOf(subscriptions).forEach(ProgressSubscription::close);
        http.shutdown();
    }

    // ---- HTTP ----

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(requestTimeout)
                .header("Accept", "application/json").header("User-Agent", USER_AGENT);
        headers.forEach(builder::header);
        return builder;
    }

    private HttpRequest.Builder post(String path, Object body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    }

    private <T> T call(String what, HttpRequest.Builder builder, boolean retryable, Class<T> type) {
        HttpRequest request = builder.build();
        int attempt = 0;
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (retryable && attempt < maxRetries) {
                    pause(what, attempt++, e);
                    continue;
                }
                throw JobflowException.transport(what + " (" + request.method() + " " + request.uri() + ")", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JobflowException.transport(what + ": interrupted", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    return Json.read(response.body(), type);
                } catch (JsonProcessingException e) {
                    throw new JobflowException(status, null, "Unreadable answer",
                            what + ": " + e.getOriginalMessage(), Map.of(), e);
                }
            }
            if (retryable && RETRYABLE_STATUS.contains(status) && attempt < maxRetries) {
                pause(what, attempt++, null);
                continue;
            }
            throw problem(status, response.body());
        }
    }

    private void pause(String what, int attempt, Exception cause) {
        try {
            Thread.sleep(retryDelay.toMillis() * (1L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JobflowException.transport(what + ": interrupted", cause == null ? e : cause);
        }
    }

    /** The RFC 9457 problem in {@code body}, or one made from the status when the body is not one. */
    static JobflowException problem(int status, String body) {
        Map<String, Object> members;
        try {
            members = body == null || body.isBlank() ? Map.of() : Json.readObject(body);
        } catch (JsonProcessingException | RuntimeException notJson) {
            members = Map.of();
        }
        if (members.isEmpty()) {
            String text = body == null ? "" : body.strip();
            return new JobflowException(status, "about:blank", "HTTP " + status,
                    text.length() > 500 ? text.substring(0, 500) + "…" : text, Map.of(), null);
        }
        Map<String, Object> extras = new LinkedHashMap<>(members);
        Object type = extras.remove("type");
        Object title = extras.remove("title");
        Object detail = extras.remove("detail");
        Object problemStatus = extras.remove("status");
        return new JobflowException(problemStatus instanceof Number n ? n.intValue() : status,
                type instanceof String s ? s : "about:blank", title instanceof String s ? s : "HTTP " + status,
                detail instanceof String s ? s : null, extras, null);
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    /** Builds a {@link JobflowClient}; only {@link #apiUrl(String)} is required. */
    public static final class Builder {
        private URI apiUrl;
        private URI hubUrl;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String hubUser;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxRetries = 2;
        private Duration retryDelay = Duration.ofMillis(200);
        private Duration reconnectMin = Duration.ofMillis(250);
        private Duration reconnectMax = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(20);

        private Builder() {
        }

        /** job-api's base URL, e.g. {@code http://localhost:8080} (a path prefix behind an ingress is kept). */
        public Builder apiUrl(String url) {
            return apiUrl(URI.create(url));
        }

        public Builder apiUrl(URI url) {
            this.apiUrl = url;
            return this;
        }

        /**
         * The progress-hub's base URL, e.g. {@code http://localhost:8082} ({@code ws} is derived from it). Needed
         * by {@link JobflowClient#subscribe}; {@link JobflowClient#awaitCompletion} polls without it.
         */
        public Builder hubUrl(String url) {
            return hubUrl(url == null ? null : URI.create(url));
        }

        public Builder hubUrl(URI url) {
            this.hubUrl = url;
            return this;
        }

        /**
         * A job-api API key, sent as {@code X-Api-Key}. A key acts as a trusted service: it must name the owner
         * of what it submits and the {@link #hubUser(String) user} of its hub tokens.
         */
        public Builder apiKey(String key) {
            headers.remove("Authorization");
            return credential("X-Api-Key", key);
        }

        /** A bearer credential, sent as {@code Authorization: Bearer <token>} (job-api takes an API key so too). */
        public Builder bearerToken(String token) {
            headers.remove("X-Api-Key");
            return credential("Authorization", "Bearer " + Objects.requireNonNull(token, "token"));
        }

        /** Any other header sent with every job-api request (e.g. what an authenticating proxy expects). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The user whose hub token {@link JobflowClient#subscribe} asks for ({@code {"user": name}}); required with
         * an API key. Left out, the token is the caller's own (a person behind the proxy, or local mode).
         */
        public Builder hubUser(String user) {
            this.hubUser = user;
            return this;
        }

        /** How long a TCP connection may take (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long one HTTP request may take until its answer (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How often a call that is safe to repeat is retried after a connection failure or a 502/503/504 (default
         * 2), the first retry after {@code delay} (default 200 ms), doubling.
         */
        public Builder retries(int maxRetries, Duration delay) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0");
            }
            this.maxRetries = maxRetries;
            this.retryDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** {@link #retries(int, Duration)} with the default delay. */
        public Builder maxRetries(int maxRetries) {
            return retries(maxRetries, retryDelay);
        }

        /**
         * The backoff of a subscription's reconnects: from about {@code min} doubling up to {@code max}, jittered
         * (default 250 ms to 10 s, as the browser client).
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectMin = positive(min, "min");
            this.reconnectMax = positive(max, "max");
            return this;
        }

        /**
         * How often a subscription pings the hub (default 20 s; zero for never); a connection silent for three of
         * these is taken for dead and replaced (with a resume).
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public JobflowClient build() {
            return new JobflowClient(this);
        }

        private Builder credential(String header, String value) {
            Objects.requireNonNull(value, header);
            headers.put(header, value);
            return this;
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
