package dev.jobflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.ServiceStack;
import dev.jobflow.testing.TestSigningKeys;

/**
 * Issue 17 end to end: two viewers (alice behind the trusted proxy header, bob with his identity
 * provider's token, verified by job-api and by the hub) and an operator (olga, proxy header), against real job-api, dispatcher
 * and hub processes (the stack this class shares with JobFlowIT
 * and JobMonitorPageIT, see {@link SharedStack}). Each sees exactly what the rules
 * say on every REST endpoint and every room kind; nothing of bob's jobs reaches alice's socket;
 * and no token, key or secret of the run shows in any service's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DEMO = "{\"name\": \"access\", \"type\": \"demo\", \"params\": {\"duration\": 1, "
            + "\"step\": 0.25}}";
    private static ServiceStack stack;
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = SharedStack.stack();
    }

    /** A person named by the proxy's headers, or (viaProvider) by their identity provider's own token. */
    private record Person(String name, String groups, boolean viaProvider) {
        HttpRequest.Builder request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.api().baseUrl() + path))
                    .timeout(Duration.ofSeconds(20));
            if (viaProvider) {
                return b.header("Authorization", "Bearer " + providerToken());
            }
            b.header("X-Forwarded-User", name);
            return groups == null ? b : b.header("X-Forwarded-Groups", groups);
        }

        String providerToken() {
            String token = SharedStack.idp().token(name, groups == null ? List.of() : List.of(groups.split(",\\s*")));
            SECRETS.add(token);
            return token;
        }
    }

    private static final Person ALICE = new Person("alice", null, false);
    /** Bob signs in at the identity provider: job-api and the hub verify its token (OIDC). */
    private static final Person BOB = new Person("bob", "staff", true);
    private static final Person OLGA = new Person("olga", "jobflow-operator", false);
    /** Quinn operates the queue access-q only (group jobflow-operator:access-q). */
    private static final Person QUINN = new Person("quinn", "staff, jobflow-operator:access-q", false);
    private static final Person ROOT = new Person("root", "jobflow-admin", false);

    private static HttpResponse<String> call(Person who, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = who == null
                ? HttpRequest.newBuilder(URI.create(stack.api().baseUrl() + path)).timeout(Duration.ofSeconds(20))
                : who.request(path);
        request.header("Content-Type", "application/json").method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(Person who, String method, String path, String body) throws Exception {
        return call(who, method, path, body).statusCode();
    }

    private static int status(Person who, String path) throws Exception {
        return status(who, "GET", path, null);
    }

    private static long submit(Person who) throws Exception {
        HttpResponse<String> response = call(who, "POST", "/api/v1/jobs", DEMO);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new JsonObject(response.body()).getLong("id");
    }

    private static List<Long> ids(Person who, String query) throws Exception {
        HttpResponse<String> response = call(who, "GET", "/api/v1/jobs" + query, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonArray items = new JsonObject(response.body()).getJsonArray("items");
        return items.stream().map(i -> ((JsonObject) i).getLong("id")).toList();
    }

    private static JsonObject token(Person who) throws Exception {
        HttpResponse<String> response = call(who, "POST", "/api/v1/tokens", "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject token = new JsonObject(response.body());
        SECRETS.add(token.getString("token"));
        return token;
    }

    private static WebSocket socket(JobFlowIT.Frames frames, String token) throws Exception {
        return HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(stack.hub().baseUrl().replaceFirst("^http", "ws") + "/ws?token=" + token), frames)
                .get(10, TimeUnit.SECONDS);
    }

    private static String roomAnswer(WebSocket socket, JobFlowIT.Frames frames, String room) throws Exception {
        socket.sendText(new JsonObject().put("type", "subscribe").put("room", room).encode(), true)
                .get(10, TimeUnit.SECONDS);
        JsonObject answer = frames.await(f -> room.equals(f.getString("room"))
                && ("subscribed".equals(f.getString("type")) || "error".equals(f.getString("type"))),
                Duration.ofSeconds(10));
        return "subscribed".equals(answer.getString("type")) ? "subscribed" : answer.getString("code");
    }

    @Test
    @Order(1)
    void eachPersonSeesExactlyWhatTheirRoleAllowsOverRestAndWebSocket() throws Exception {
        long alices = submit(ALICE);
        long bobs = submit(BOB);

        // no identity: nothing
        for (String path : List.of("/api/v1/jobs", "/api/v1/jobs/" + alices, "/api/v1/queue", "/api/v1/queues",
                "/api/v1/schedules", "/api/v1/dispatchers", "/api/v1/config", "/api/v1/me")) {
            assertThat(status(null, path)).as(path).isEqualTo(401);
        }

        // the job list: a viewer's own jobs only, an operator every job
        assertThat(ids(ALICE, "?limit=500")).contains(alices).doesNotContain(bobs);
        assertThat(ids(BOB, "?limit=500")).contains(bobs).doesNotContain(alices);
        assertThat(ids(OLGA, "?limit=500")).contains(alices, bobs);
        assertThat(ids(OLGA, "?owner=bob")).contains(bobs).doesNotContain(alices);
        assertThat(status(ALICE, "/api/v1/jobs?owner=bob")).isEqualTo(403);

        // one job, its runs and its logs: another's is not found (ids do not leak)
        for (String sub : List.of("", "/runs", "/logs")) {
            assertThat(status(ALICE, "/api/v1/jobs/" + alices + sub)).as(sub).isEqualTo(200);
            assertThat(status(ALICE, "/api/v1/jobs/" + bobs + sub)).as(sub).isEqualTo(404);
            assertThat(status(BOB, "/api/v1/jobs/" + alices + sub)).as(sub).isEqualTo(404);
            assertThat(status(OLGA, "/api/v1/jobs/" + bobs + sub)).as(sub).isEqualTo(200);
        }
        // shared, job-free views are readable by every role
        for (String path : List.of("/api/v1/queue", "/api/v1/queues", "/api/v1/queues/default", "/api/v1/schedules",
                "/api/v1/dispatchers", "/api/v1/config", "/api/v1/me")) {
            assertThat(status(ALICE, path)).as(path).isEqualTo(200);
        }

        // acting: a viewer cancels only its own; operating and administering are refused
        assertThat(status(ALICE, "POST", "/api/v1/jobs/" + bobs + "/cancel", null)).isEqualTo(404);
        assertThat(status(ALICE, "POST", "/api/v1/jobs/" + alices + "/retry", null)).isEqualTo(403);
        assertThat(status(ALICE, "DELETE", "/api/v1/jobs/" + alices, null)).isEqualTo(403);
        String dryRun = "{\"action\": \"cancel\", \"dryRun\": true, \"filter\": {\"owner\": \"bob\"}}";
        assertThat(status(ALICE, "POST", "/api/v1/jobs/bulk", dryRun)).isEqualTo(403);
        assertThat(status(ALICE, "POST", "/api/v1/queues/default/pause", null)).isEqualTo(403);
        assertThat(status(ALICE, "/api/v1/audit")).isEqualTo(403);
        assertThat(status(OLGA, "POST", "/api/v1/jobs/bulk", dryRun)).isEqualTo(200);
        assertThat(status(OLGA, "PUT", "/api/v1/queues/access", "{}")).isEqualTo(403);
        assertThat(status(OLGA, "/api/v1/audit")).isEqualTo(403);

        // an operator of one queue: that queue's jobs and its own, nothing else, and acts on that queue only
        assertThat(status(ROOT, "PUT", "/api/v1/queues/access-q", "{}")).isEqualTo(200);
        long alicesQueued = new JsonObject(call(ALICE, "POST", "/api/v1/jobs", new JsonObject(DEMO)
                .put("queue", "access-q").put("runAt", "2030-01-01T00:00:00Z").encode()).body()).getLong("id");
        assertThat(ids(QUINN, "?limit=500")).contains(alicesQueued).doesNotContain(alices, bobs);
        assertThat(status(QUINN, "/api/v1/jobs/" + alicesQueued)).isEqualTo(200);
        assertThat(status(QUINN, "/api/v1/jobs/" + alices)).isEqualTo(404);
        assertThat(status(QUINN, "POST", "/api/v1/jobs/" + bobs + "/cancel", null)).isEqualTo(404);
        assertThat(status(QUINN, "POST", "/api/v1/queues/default/pause", null)).isEqualTo(403);
        assertThat(status(QUINN, "POST", "/api/v1/jobs/bulk", dryRun)).isEqualTo(403);
        assertThat(status(QUINN, "POST", "/api/v1/jobs/" + alicesQueued + "/cancel", null)).isEqualTo(200);
        assertThat(status(QUINN, "DELETE", "/api/v1/jobs/" + alicesQueued, null)).isEqualTo(204);
        JsonObject quinnsToken = token(QUINN);
        assertThat(quinnsToken.getJsonArray("rooms").getList()).containsExactly("user:quinn");
        assertThat(quinnsToken.getBoolean("ownJobs")).isTrue();

        // the hub: alice's token grants her room and her own jobs' rooms only. job-api signs it ES256 with
        // its key pair, and the hub verifies it with the public key job-api publishes to anyone
        JsonObject alicesToken = token(ALICE);
        assertThat(alicesToken.getJsonArray("rooms").getList()).containsExactly("user:alice");
        JsonObject header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(
                alicesToken.getString("token").split("\\.")[0]), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(header.getString("alg")).isEqualTo("ES256");
        HttpResponse<String> jwks = call(null, "GET", "/api/v1/tokens/jwks", null);
        assertThat(jwks.statusCode()).isEqualTo(200);
        JsonArray keys = new JsonObject(jwks.body()).getJsonArray("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.getJsonObject(0).getString("kid")).isEqualTo(header.getString("kid"));
        assertThat(keys.getJsonObject(0).containsKey("d")).as("no private part").isFalse();
        JobFlowIT.Frames aliceFrames = new JobFlowIT.Frames();
        WebSocket alice = socket(aliceFrames, alicesToken.getString("token"));
        assertThat(roomAnswer(alice, aliceFrames, "user:alice")).isEqualTo("subscribed");
        assertThat(roomAnswer(alice, aliceFrames, "job:" + alices)).isEqualTo("subscribed");
        assertThat(roomAnswer(alice, aliceFrames, "job:" + bobs)).isEqualTo("forbidden");
        assertThat(roomAnswer(alice, aliceFrames, "user:bob")).isEqualTo("forbidden");
        assertThat(roomAnswer(alice, aliceFrames, "jobs")).isEqualTo("forbidden");
        assertThat(roomAnswer(alice, aliceFrames, "loader-feed")).isEqualTo("forbidden");

        // bob connects to the hub with his identity provider's token itself: his rooms, nothing of alice's
        JobFlowIT.Frames bobFrames = new JobFlowIT.Frames();
        WebSocket bob = socket(bobFrames, BOB.providerToken());
        assertThat(bobFrames.await(f -> "authenticated".equals(f.getString("type")), Duration.ofSeconds(10))
                .getString("subject")).isEqualTo("bob");
        assertThat(roomAnswer(bob, bobFrames, "user:bob")).isEqualTo("subscribed");
        assertThat(roomAnswer(bob, bobFrames, "job:" + bobs)).isEqualTo("subscribed");
        assertThat(roomAnswer(bob, bobFrames, "job:" + alices)).isEqualTo("forbidden");
        assertThat(roomAnswer(bob, bobFrames, "jobs")).isEqualTo("forbidden");
        bob.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

        JobFlowIT.Frames olgaFrames = new JobFlowIT.Frames();
        WebSocket olga = socket(olgaFrames, token(OLGA).getString("token"));
        assertThat(roomAnswer(olga, olgaFrames, "jobs")).isEqualTo("subscribed");
        assertThat(roomAnswer(olga, olgaFrames, "job:" + bobs)).isEqualTo("subscribed");
        assertThat(roomAnswer(olga, olgaFrames, "user:bob")).isEqualTo("forbidden");

        // new jobs of both run to the end: olga's socket sees both, alice's only hers
        long alices2 = submit(ALICE);
        long bobs2 = submit(BOB);
        for (long id : List.of(alices2, bobs2)) {
            olgaFrames.await(f -> JobFlowIT.isJob(f, id) && "COMPLETED".equals(JobFlowIT.data(f).getString("status")),
                    Duration.ofSeconds(90));
        }
        aliceFrames.await(f -> JobFlowIT.isJob(f, alices2)
                && "COMPLETED".equals(JobFlowIT.data(f).getString("status")), Duration.ofSeconds(30));
        for (long theirs : List.of(bobs, bobs2)) {
            assertThat(aliceFrames.all()).as("frames of bob's job " + theirs + " on alice's socket")
                    .noneMatch(f -> JobFlowIT.isJob(f, theirs) || String.valueOf(f.getValue("room")).equals("job:" + theirs)
                            && "message".equals(f.getString("type")));
        }
        alice.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        olga.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    /** Last: scans what the whole class's run wrote, with every token and key it used. */
    @Test
    @Order(2)
    void noTokenKeyOrSecretShowsInAnyLog() throws Exception {
        String key = stack.db().createJobApiKey("access-log-scan", "operator");
        SECRETS.add(key);
        HttpResponse<String> withKey = HTTP.send(HttpRequest.newBuilder(URI.create(stack.api().baseUrl()
                + "/api/v1/jobs")).header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withKey.statusCode()).isEqualTo(200);
        // refused credentials are not logged either
        String wrong = "jfk_not-a-key-0123456789abcdef";
        SECRETS.add(wrong);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(stack.api().baseUrl() + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + wrong).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(401);
        SECRETS.add(token(ALICE).getString("token"));
        SECRETS.add(TestSigningKeys.block(SharedStack.signingKey(), "PRIVATE KEY").lines()
                .filter(line -> !line.startsWith("-----")).reduce("", String::concat).substring(0, 60));
        try (Connection c = stack.db().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select secret from progress_signing_key")) {
            // job-api signs with its key pair: no service made a shared secret
            assertThat(rs.next()).as("a shared signing secret in the database").isFalse();
        }
        for (ServiceProcess service : List.of(stack.api(), stack.hub(), stack.dispatcher())) {
            String log = Files.readString(service.log());
            assertThat(log).as(service + "'s log").isNotEmpty();
            for (String secret : SECRETS) {
                assertThat(log).as(service + "'s log holds a secret").doesNotContain(secret);
                // a JWT's signature alone identifies it too
                if (secret.chars().filter(ch -> ch == '.').count() == 2) {
                    assertThat(log).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
                }
            }
        }
    }
}
