package dev.jobflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.testing.RawHttp;
import dev.jobflow.testing.RawHttp.Answer;
import dev.jobflow.testing.ServiceStack;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of the running system (issue 19): generated malformed bodies, headers,
 * paths and query strings against real job-api and progress-hub processes (one {@link ServiceStack} for
 * the class). Every answer is below 500, every error is problem+json with its status, every write
 * request is refused (each carries a defect, or targets nothing that exists), and afterwards every
 * table holds as many rows as before. The report prints the number of generated cases and the
 * status histogram (jqwik's statistics, and one summary line per property).
 *
 * <p>
 * Requests stay within what the HTTP codec parses (a request line or header section it cannot parse
 * is answered by Vert.x before any route, without a body: docs/api-errors.md), and within the codec's
 * own size limits; bodies over the services' limits are generated.
 */
class RequestFuzzIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RawHttp HTTP = RawHttp.http();
    private static final List<String> WRITES = List.of("POST", "PUT", "DELETE", "PATCH");

    private static ServiceStack stack;
    private static String apiKey;
    private static String hubKey;
    private static Map<String, Long> rowsBefore;
    private static final Map<Integer, Integer> statuses = new TreeMap<>();
    private static final AtomicInteger cases = new AtomicInteger();

    /** One generated request: where it goes and what it carries. */
    record Req(String service, String method, String target, List<String> headers, byte[] body) {
        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return service + " " + method + " " + target + " " + headers + " body(" + (body == null ? "none"
                    : body.length + " bytes") + "): " + text;
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        // A long cycle: no dispatch_cycles row is written while the requests run.
        stack = ServiceStack.start("fuzz", Map.of("JOBFLOW_DISPATCHER_CYCLE_LENGTH", "30m"));
        apiKey = stack.db().createJobApiKey("fuzz");
        hubKey = "hub_" + java.util.UUID.randomUUID().toString().replace("-", "");
        stack.db().update("insert into progress_api_keys (name, key_sha256) values (?, ?)", "fuzz",
                ApiKeyHeaders.sha256(hubKey));
        rowsBefore = rowCounts();
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterProperty
    void sameRowsAndReport() throws SQLException {
        System.out.printf("RequestFuzzIT: %d generated cases so far, statuses %s%n", cases.get(), statuses);
        assertThat(statuses.keySet()).as("no 5xx").allMatch(status -> status < 500);
        assertThat(rowCounts()).as("row counts of every table after the fuzzing").isEqualTo(rowsBefore);
    }

    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void jobApiRefusesMalformedRequestsWithProblemsAndWritesNothing(@ForAll("jobApiRequests") Req req) throws Exception {
        check(req, stack.api().baseUrl());
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void hubRefusesMalformedRequestsWithProblemsAndWritesNothing(@ForAll("hubRequests") Req req) throws Exception {
        check(req, stack.hub().baseUrl());
    }

    private static void check(Req req, String baseUrl) throws Exception {
        URL base = URI.create(baseUrl).toURL();
        StringBuilder head = new StringBuilder(req.method() + " " + req.target() + " HTTP/1.1\r\nHost: "
                + base.getHost() + ":" + base.getPort());
        for (String header : req.headers()) {
            head.append("\r\n").append(header);
        }
        if (req.body() != null) {
            head.append("\r\nContent-Length: ").append(req.body().length);
        }
        Answer answer = HTTP.send(base, head.toString(), req.body());
        synchronized (statuses) {
            statuses.merge(answer.status(), 1, Integer::sum);
        }
        cases.incrementAndGet();
        Statistics.label("status").collect(answer.status());
        assertThat(answer.status()).as("status of %s: %s", req, answer).isLessThan(500);
        if (WRITES.contains(req.method())) {
            assertThat(answer.status()).as("a malformed write is refused: %s: %s", req, answer).isGreaterThanOrEqualTo(400);
        }
        if (answer.status() >= 400) {
            assertThat(answer.header("content-type")).as("content type of %s: %s", req, answer)
                    .startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("status").asInt()).as("problem status of %s: %s", req, answer)
                    .isEqualTo(answer.status());
            assertThat(problem.path("title").asText()).as("problem title").isNotBlank();
        }
    }

    // ---- generators ----

    /** Path segments no client should send: malformed ids and names, already percent-encoded where needed. */
    private static Arbitrary<String> hostileSegment() {
        Arbitrary<String> fixed = Arbitraries.of("abc", "-5", "0", "1.5", "+7", "1;drop", "1;x=y", "%00", "%ff", "%C0%AF",
                "%2e%2e", "..", "99999999999999999999", "9223372036854775808", "%F0%9F%92%A9", "%ED%A0%80", "1%20", "%25",
                "a%2Fb", "x".repeat(300), "1e3", "0x10", "%0d%0aX-Injected:%201");
        Arbitrary<String> random = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30).map(RequestFuzzIT::encode);
        return Arbitraries.oneOf(fixed, random);
    }

    /** Query values: the same, plus numbers in and out of range. */
    private static Arbitrary<String> hostileValue() {
        return Arbitraries.oneOf(hostileSegment(), Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("", "QUEUED", "DONE", "abc", "%00", "-1", "501", "1;2", "%E2%80%AE"));
    }

    private static Arbitrary<String> query(List<String> names) {
        Arbitrary<String> key = names.isEmpty() ? hostileSegment()
                : Arbitraries.oneOf(Arbitraries.of(names), hostileSegment());
        Arbitrary<String> pair = Combinators.combine(key, hostileValue()).as((name, value) -> name + "=" + value);
        return pair.list().ofMaxSize(4).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    /** Headers: content types, accepts, credentials good and bad, junk; each list ends up well-formed HTTP. */
    private static Arbitrary<List<String>> headers(boolean hub) {
        String goodKey = hub ? hubKey : apiKey;
        Arbitrary<String> contentType = Arbitraries.of("Content-Type: application/json",
                "Content-Type: application/json", "Content-Type: application/json; charset=utf-16",
                "Content-Type: text/plain", "Content-Type: application/x-www-form-urlencoded", "Content-Type: ;;;",
                "Content-Type: application/json; charset=nope", "");
        Arbitrary<String> accept = Arbitraries.of("", "Accept: */*", "Accept: application/json", "Accept: text/html",
                "Accept: application/xml", "Accept: ;q=x", "Accept: application/problem+json");
        Arbitrary<String> auth = Arbitraries.of("Authorization: Bearer " + goodKey, "Authorization: Bearer " + goodKey,
                "Authorization: Bearer " + goodKey, "Authorization: Bearer nope", "Authorization: Basic YTpi",
                "Authorization: Bearer ", "X-Api-Key: ", "X-Api-Key: " + goodKey, "");
        Arbitrary<String> junk = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(200)
                        .map(v -> "Idempotency-Key: " + v),
                Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMinLength(1).ofMaxLength(20)
                        .map(v -> "Idempotency-Key: " + v),
                Arbitraries.of("Idempotency-Key: " + "k".repeat(5000), "X-Forwarded-User: root", "X-Forwarded-User: ",
                        "X-Big: " + "b".repeat(20_000), "Connection: close", "Origin: http://evil.example", ""));
        return Combinators.combine(contentType, accept, auth, junk).as((c, a, k, j) -> {
            List<String> list = new ArrayList<>();
            for (String h : List.of(c, a, k, j)) {
                if (!h.isEmpty()) {
                    list.add(h);
                }
            }
            return list;
        });
    }

    /** A request body template: field -> JSON value text. */
    private static Map<String, String> template(String endpoint) {
        Map<String, String> t = new LinkedHashMap<>();
        switch (endpoint) {
            case "submit" -> {
                t.put("name", "\"fuzz\"");
                t.put("owner", "\"alice\"");
                t.put("type", "\"demo\"");
                t.put("params", "{\"duration\": 1, \"step\": 0.5}");
                t.put("priority", "1");
                t.put("maxAttempts", "2");
                t.put("queue", "\"default\"");
            }
            case "bulk" -> {
                t.put("action", "\"cancel\"");
                t.put("dryRun", "false");
                t.put("filter", "{\"status\": \"QUEUED\"}");
            }
            case "queue" -> {
                t.put("cap", "2");
                t.put("priority", "1");
                t.put("maxAttempts", "3");
            }
            case "schedule" -> {
                t.put("name", "\"nightly\"");
                t.put("type", "\"demo\"");
                t.put("owner", "\"alice\"");
                t.put("cron", "\"0 2 * * *\"");
            }
            case "token" -> t.put("user", "\"alice\"");
            case "send" -> {
                t.put("rooms", "\"fuzz-room\"");
                t.put("message", "{\"pct\": 5}");
                t.put("username", "\"alice\"");
            }
            default -> throw new IllegalArgumentException(endpoint);
        }
        return t;
    }

    /**
     * A body that no endpoint may accept: a template with at least one defect (and some noise). The
     * submit-only defects (unknown type, params against the demo's declaration, a far run time) apply
     * to submits only, where they are defects.
     */
    private static Arbitrary<byte[]> defectiveBody(String endpoint) {
        Map<String, String> t = template(endpoint);
        List<String> fields = new ArrayList<>(t.keySet());
        Arbitrary<String> field = Arbitraries.of(fields);
        Arbitrary<String> scalarField = Arbitraries.of(fields.stream().filter(f -> !t.get(f).startsWith("{")).toList());
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(20);
        List<Arbitrary<byte[]>> defects = new ArrayList<>(List.of(
                // NUL or a lone surrogate in a text field (escaped, as JSON allows)
                Combinators.combine(scalarField, Arbitraries.of("\\u0000", "\\ud800", "\\udfff x", "a\\u0000"))
                        .as((f, bad) -> json(with(t, f, "\"" + bad + "\""))),
                // a field named twice
                field.map(f -> text(t).replaceFirst("\\{", "{\"" + f + "\": " + t.get(f) + ", ")
                        .getBytes(StandardCharsets.UTF_8)),
                // a field no endpoint knows
                anyText.map(name -> json(with(t, "bogus_" + Math.abs(name.hashCode()), "1"))),
                // an object where a scalar belongs
                scalarField.map(f -> json(with(t, f, "{\"x\": [1, {\"y\": null}]}"))),
                // not JSON, cut short, the wrong shape, empty
                Arbitraries.of("{", "{\"name\": ", "[1, 2]", "\"text\"", "null", "42", "", "{}}", "{'a': 1}",
                        "{\"a\": 1,}", "{\"a\": NaN}").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, text(t).length() - 1)
                        .map(cut -> text(t).substring(0, cut).getBytes(StandardCharsets.UTF_8)),
                // bytes that are not UTF-8 inside a string
                scalarField.map(f -> {
                    byte[] before = json(with(t, f, "\"x"));
                    int at = new String(before, StandardCharsets.UTF_8).indexOf("\"x") + 2;
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(before, 0, at);
                    out.writeBytes(new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"' });
                    out.write(before, at, before.length - at);
                    return out.toByteArray();
                }),
                // over every body limit (256 KiB job-api, 64 KiB hub)
                Arbitraries.integers().between(300_000, 600_000).map(size -> json(with(t, fields.get(0),
                        "\"" + "z".repeat(size) + "\""))),
                // deep nesting
                Arbitraries.integers().between(500, 3000).map(depth -> ("[".repeat(depth) + "]".repeat(depth))
                        .getBytes(StandardCharsets.UTF_8))));
        if (endpoint.equals("submit")) {
            defects.add(Arbitraries.of("\"nobody-runs-this\"", "\"sql:not_allowed\"", "\"Demo\"")
                    .map(type -> json(with(t, "type", type))));
            defects.add(Arbitraries.of("{\"duration\": -5}", "{\"duration\": \"abc\"}", "{\"durration\": 1}",
                    "{\"step\": 0}", "{\"duration\": 1e400}", "{\"duration\": 86401}", "[1]", "\"x\"")
                    .map(params -> json(with(t, "params", params))));
            defects.add(Arbitraries.of("\"-999999999-01-01T00:00:00Z\"", "\"+999999999-01-01T00:00:00Z\"",
                    "\"1999-12-31T23:59:59Z\"", "\"tomorrow\"", "\"2026-13-01T00:00:00Z\"")
                    .map(at -> json(with(t, "runAt", at))));
            defects.add(Arbitraries.of("1e10", "-1001", "0.5", "\"high\"", "true").map(p -> json(with(t, "priority", p))));
        }
        if (endpoint.equals("send")) {
            defects.add(Arbitraries.of("{\"a\": 1}", "[]", "\"\"", "\",,,\"", "[\"a\", 1]", "\"" + "r".repeat(500) + "\"")
                    .map(rooms -> json(with(t, "rooms", rooms))));
        }
        return Arbitraries.oneOf(defects);
    }

    private static Map<String, String> with(Map<String, String> template, String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(template);
        copy.put(field, value);
        return copy;
    }

    private static String text(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return out.append('}').toString();
    }

    private static byte[] json(Map<String, String> fields) {
        return text(fields).getBytes(StandardCharsets.UTF_8);
    }

    /** One endpoint of job-api: a method, a path with its hostile segment, and what body it takes. */
    private record Endpoint(String method, String path, String body, List<String> queryNames) {
    }

    private static final List<Endpoint> JOB_API = List.of(
            new Endpoint("POST", "/api/v1/jobs", "submit", List.of()),
            new Endpoint("GET", "/api/v1/jobs", null, List.of("status", "owner", "before", "limit")),
            new Endpoint("GET", "/api/v1/jobs/{}", null, List.of()),
            new Endpoint("POST", "/api/v1/jobs/{}/cancel", null, List.of()),
            new Endpoint("POST", "/api/v1/jobs/{}/retry", null, List.of()),
            new Endpoint("DELETE", "/api/v1/jobs/{}", null, List.of()),
            new Endpoint("GET", "/api/v1/jobs/{}/runs", null, List.of()),
            new Endpoint("GET", "/api/v1/jobs/{}/logs", null, List.of("after", "limit")),
            new Endpoint("POST", "/api/v1/jobs/bulk", "bulk", List.of()),
            new Endpoint("GET", "/api/v1/queue", null, List.of()),
            new Endpoint("GET", "/api/v1/queues/{}", null, List.of()),
            new Endpoint("PUT", "/api/v1/queues/{}", "queue", List.of()),
            new Endpoint("POST", "/api/v1/queues/{}/pause", null, List.of()),
            new Endpoint("POST", "/api/v1/schedules", "schedule", List.of()),
            new Endpoint("PUT", "/api/v1/schedules/{}", "schedule", List.of()),
            new Endpoint("GET", "/api/v1/schedules/preview", null, List.of("cron", "calendar", "timeZone")),
            new Endpoint("POST", "/api/v1/schedules/{}/run", null, List.of()),
            new Endpoint("DELETE", "/api/v1/schedules/{}", null, List.of()),
            new Endpoint("POST", "/api/v1/tokens", "token", List.of()),
            new Endpoint("GET", "/api/v1/audit", null, List.of("actor", "action", "before", "limit")),
            new Endpoint("GET", "/api/v1/job-types", null, List.of()),
            new Endpoint("GET", "/api/v1/dispatchers", null, List.of()),
            new Endpoint("GET", "/api/v1/{}", null, List.of()),
            new Endpoint("GET", "/{}", null, List.of()));

    private static final List<Endpoint> HUB = List.of(
            new Endpoint("POST", "/api/v1/messages", "send", List.of()),
            new Endpoint("POST", "/api/v1/messages", "send", List.of("room")),
            new Endpoint("GET", "/api/v1/messages", null, List.of("room")),
            new Endpoint("GET", "/api/v1/{}", null, List.of()),
            new Endpoint("POST", "/api/v1/{}", "send", List.of()));

    @Provide
    Arbitrary<Req> jobApiRequests() {
        return requests("job-api", JOB_API, false);
    }

    @Provide
    Arbitrary<Req> hubRequests() {
        return requests("progress-hub", HUB, true);
    }

    private static Arbitrary<Req> requests(String service, List<Endpoint> endpoints, boolean hub) {
        return Arbitraries.of(endpoints).flatMap(e -> {
            // Mostly the endpoint's own method; sometimes another (405), never one that could write without a defect.
            Arbitrary<String> method = e.body() != null || WRITES.contains(e.method())
                    ? Arbitraries.of(e.method(), e.method(), e.method(), "PATCH", "GET")
                    : Arbitraries.of(e.method(), e.method(), e.method(), "PATCH", "PUT");
            Arbitrary<byte[]> body = e.body() == null ? Arbitraries.just((byte[]) null)
                    : Arbitraries.oneOf(defectiveBody(e.body()), Arbitraries.just((byte[]) null));
            return Combinators.combine(method, hostileSegment(), query(e.queryNames()), headers(hub), body)
                    .as((m, segment, q, h, b) -> {
                        byte[] sent = b;
                        // a write that could succeed without a body (PUT of a queue) carries a defective one
                        if (sent == null && (m.equals("PUT") || m.equals("PATCH"))) {
                            sent = "{".getBytes(StandardCharsets.UTF_8);
                        }
                        return new Req(service, m, e.path().replace("{}", segment) + q, h, sent);
                    });
        });
    }

    /** Percent-encodes every byte but the unreserved ones (lone surrogates become '?', as UTF-8 has none). */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Rows of every table of the test database. */
    private static Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = stack.db().connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select count(*) from \"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
