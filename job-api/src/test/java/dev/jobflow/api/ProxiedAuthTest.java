package dev.jobflow.api;

import static dev.jobflow.api.AuthTest.job;
import static dev.jobflow.api.AuthTest.noJobsOf;
import static dev.jobflow.api.AuthTest.someone;
import static dev.jobflow.api.AuthTest.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.jobflow.api.testing.ApiKey;
import dev.jobflow.testing.PostgresTestResource;
import dev.jobflow.testing.TestIdentityProvider;

/**
 * Behind an authenticating proxy (header trusted): a person acts as themselves only, with the role
 * their groups give (X-Forwarded-Groups: jobflow-operator, jobflow-admin; anyone else is a viewer).
 */
@QuarkusTest
@TestProfile(ProxiedAuthTest.TrustTheProxy.class)
@WithTestResource(PostgresTestResource.class)
class ProxiedAuthTest {

    /** The identity provider whose tokens this app accepts (OIDC), for the whole test run. */
    static final TestIdentityProvider IDP = TestIdentityProvider.start();

    public static class TrustTheProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobflow.api.auth.trust-proxy-header", "true",
                    "jobflow.api.auth.oidc.issuer", IDP.issuer());
        }
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Inject
    DataSource db;

    /** A viewer: a person in no role group. */
    private static RequestSpecification as(String user) {
        return given().header("X-Forwarded-User", user);
    }

    private static RequestSpecification operator(String user) {
        return as(user).header("X-Forwarded-Groups", "staff, jobflow-operator");
    }

    private static RequestSpecification admin(String user) {
        return as(user).header("X-Forwarded-Groups", "jobflow-admin");
    }

    @Test
    void aPersonSubmitsForThemselvesOnly() {
        String alice = someone();
        String bob = someone();
        submit(as(alice), alice);
        // no owner: the caller is the owner
        as(alice).contentType(ContentType.JSON).body("{\"name\": \"mine\", \"type\": \"demo\"}").post("/api/v1/jobs")
                .then().statusCode(201).body("owner", equalTo(alice));
        as(alice).contentType(ContentType.JSON).body(job(bob)).post("/api/v1/jobs").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        noJobsOf(admin("root"), bob);
        as(alice).get("/api/v1/jobs?owner=" + alice).then().body("items.size()", equalTo(2));
        as(alice).get("/api/v1/me").then().statusCode(200).body("user", equalTo(alice)).body("via", equalTo("proxy"))
                .body("role", equalTo("viewer"));
        operator(alice).get("/api/v1/me").then().body("role", equalTo("operator"));
        admin(alice).get("/api/v1/me").then().body("role", equalTo("admin"));
    }

    @Test
    void aViewerReadsOnlyTheirOwnJobsAndAnothersIdIsNotFound() {
        String alice = someone();
        String bob = someone();
        long alices = submit(as(alice), alice);
        long bobs = submit(as(bob), bob);
        as(alice).get("/api/v1/jobs?limit=500").then().statusCode(200).body("items.owner", everyItem(equalTo(alice)))
                .body("items.id", hasItem((int) alices));
        as(alice).get("/api/v1/jobs?owner=" + bob).then().statusCode(403).contentType("application/problem+json");
        for (String path : new String[] { "", "/runs", "/logs" }) {
            as(alice).get("/api/v1/jobs/" + alices + path).then().statusCode(200);
            // 404, not 403: a viewer cannot tell another's job from a missing one
            as(alice).get("/api/v1/jobs/" + bobs + path).then().statusCode(404).contentType("application/problem+json");
        }
        // an operator and an admin see every job
        for (RequestSpecification staff : List.of(operator(someone()), admin(someone()))) {
            staff.get("/api/v1/jobs?owner=" + bob).then().statusCode(200).body("items.id", equalTo(List.of((int) bobs)));
            staff.get("/api/v1/jobs/" + bobs + "/logs").then().statusCode(200);
        }
        operator(someone()).get("/api/v1/jobs?limit=500").then().body("items.id", hasItem((int) bobs))
                .body("items.id", hasItem((int) alices));
    }

    @Test
    void aViewerCancelsTheirOwnJobsOnlyAndAnOperatorAnyJob() {
        String alice = someone();
        String bob = someone();
        long bobs = submit(as(bob), bob);
        long alices = submit(as(alice), alice);
        as(alice).post("/api/v1/jobs/" + bobs + "/cancel").then().statusCode(404)
                .contentType("application/problem+json");
        as(bob).get("/api/v1/jobs/" + bobs).then().body("status", equalTo("QUEUED")).body("cancelRequested", equalTo(false));
        as(alice).post("/api/v1/jobs/" + alices + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        operator(alice).post("/api/v1/jobs/" + bobs + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        as(alice).post("/api/v1/jobs/987654321/cancel").then().statusCode(404);
    }

    @Test
    void eachRightIsCheckedOnItsEndpoints() {
        String alice = someone();
        long job = submit(as(alice), alice);
        as(alice).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
        String queue = "roles-" + System.nanoTime();
        String root = someone();
        String schedule = "{\"name\": \"" + queue + "\", \"type\": \"demo\", \"owner\": \"" + root
                + "\", \"cron\": \"0 3 * * *\"}";
        String bulk = "{\"action\": \"retry\", \"dryRun\": true, \"filter\": {\"owner\": \"" + alice + "\"}}";

        // a viewer: no operating, no administering, and nothing changed
        as(alice).post("/api/v1/jobs/" + job + "/retry").then().statusCode(403).contentType("application/problem+json");
        as(alice).delete("/api/v1/jobs/" + job).then().statusCode(403);
        as(alice).contentType(ContentType.JSON).body(bulk).post("/api/v1/jobs/bulk").then().statusCode(403);
        as(alice).post("/api/v1/queues/default/pause").then().statusCode(403);
        as(alice).contentType(ContentType.JSON).body("{}").put("/api/v1/queues/" + queue).then().statusCode(403);
        as(alice).contentType(ContentType.JSON).body(schedule).post("/api/v1/schedules").then().statusCode(403);
        as(alice).get("/api/v1/audit").then().statusCode(403);
        admin("root").get("/api/v1/queues/" + queue).then().statusCode(404);
        admin("root").get("/api/v1/jobs/" + job).then().body("status", equalTo("CANCELLED"));

        // an operator operates but does not administer
        String op = someone();
        operator(op).contentType(ContentType.JSON).body(bulk).post("/api/v1/jobs/bulk").then().statusCode(200)
                .body("count", equalTo(1));
        operator(op).post("/api/v1/jobs/" + job + "/retry").then().statusCode(200).body("status", equalTo("QUEUED"));
        operator(op).contentType(ContentType.JSON).body("{}").put("/api/v1/queues/" + queue).then().statusCode(403);
        operator(op).contentType(ContentType.JSON).body(schedule).post("/api/v1/schedules").then().statusCode(403);
        operator(op).get("/api/v1/audit").then().statusCode(403);

        // an admin does everything
        admin(root).contentType(ContentType.JSON).body("{}").put("/api/v1/queues/" + queue).then().statusCode(200);
        operator(op).post("/api/v1/queues/" + queue + "/pause").then().statusCode(200).body("paused", equalTo(true));
        admin(root).contentType(ContentType.JSON).body(schedule).post("/api/v1/schedules").then().statusCode(201);
        operator(op).post("/api/v1/schedules/" + queue + "/run").then().statusCode(201);
        admin(root).delete("/api/v1/schedules/" + queue).then().statusCode(204);
        admin(root).get("/api/v1/audit?actor=" + op).then().statusCode(200)
                .body("items.action", hasItem("POST /api/v1/jobs/{id}/retry"));
    }

    /** A job of {@code owner} on {@code queue}, submitted by a service (a person submits only for themselves). */
    private static long submitTo(ApiKey service, String queue, String owner) {
        return service.given().contentType(ContentType.JSON).body("{\"name\": \"q\", \"type\": \"demo\", \"owner\": \""
                + owner + "\", \"queue\": \"" + queue + "\"}").post("/api/v1/jobs").then().statusCode(201).extract()
                .jsonPath().getLong("id");
    }

    @Test
    void anOperatorOfGivenQueuesSeesAndActsOnTheirJobsAndItsOwnOnly() {
        String mine = "ops-" + System.nanoTime();
        String other = mine + "-other"; // the operated queue's name is a prefix of this one: no match
        for (String queue : List.of(mine, other)) {
            admin("root").contentType(ContentType.JSON).body("{}").put("/api/v1/queues/" + queue).then().statusCode(200);
        }
        String olga = someone();
        String bob = someone();
        ApiKey service = ApiKey.create(db, "submitter", "viewer");
        long bobsMine = submitTo(service, mine, bob);
        long bobsOther = submitTo(service, other, bob);
        long olgasOther = submitTo(service, other, olga);
        ApiKey key = ApiKey.create(db, "night-shift", "operator");
        ApiKey.update(db, "update job_api_keys set queues = ? where name = ?", mine, key.name());
        // the same limits whether the proxy's groups, the identity provider's token or a key's row give them
        for (RequestSpecification op : List.of(as(olga).header("X-Forwarded-Groups", "staff, jobflow-operator:" + mine),
                bearer(IDP.token(olga, List.of("jobflow-operator:" + mine))), key.given())) {
            op.get("/api/v1/me").then().statusCode(200).body("role", equalTo("operator"))
                    .body("queues", equalTo(List.of(mine)));
        }
        for (RequestSpecification op : List.of(as(olga).header("X-Forwarded-Groups", "jobflow-operator:" + mine),
                bearer(IDP.token(olga, List.of("staff", "jobflow-operator:" + mine))))) {
            // reads: its queue's jobs and its own, nothing else
            op.get("/api/v1/jobs?limit=500").then().statusCode(200)
                    .body("items.id", hasItem((int) bobsMine)).body("items.id", hasItem((int) olgasOther))
                    .body("items.id", not(hasItem((int) bobsOther)))
                    .body("items.findAll { it.queue != '" + mine + "' }.owner", everyItem(equalTo(olga)));
            op.get("/api/v1/jobs?owner=" + bob).then().statusCode(200)
                    .body("items.id", equalTo(List.of((int) bobsMine)));
            for (String path : new String[] { "", "/runs", "/logs", "/events" }) {
                op.get("/api/v1/jobs/" + bobsMine + path).then().statusCode(200);
                op.get("/api/v1/jobs/" + bobsOther + path).then().statusCode(404);
            }
            // acts: on its queue; another queue's job is missing; its own job of another queue is not its to operate
            op.post("/api/v1/jobs/" + bobsOther + "/retry").then().statusCode(404);
            op.delete("/api/v1/jobs/" + bobsOther).then().statusCode(404);
            op.post("/api/v1/jobs/" + bobsOther + "/cancel").then().statusCode(404);
            op.post("/api/v1/jobs/" + olgasOther + "/retry").then().statusCode(403)
                    .contentType("application/problem+json");
            String bulk = "{\"action\": \"cancel\", \"dryRun\": true, \"filter\": {%s}}";
            op.contentType(ContentType.JSON).body(bulk.formatted("")).post("/api/v1/jobs/bulk").then().statusCode(403);
            op.contentType(ContentType.JSON).body(bulk.formatted("\"queue\": \"" + other + "\""))
                    .post("/api/v1/jobs/bulk").then().statusCode(403);
            op.contentType(ContentType.JSON).body(bulk.formatted("\"queue\": \"" + mine + "\""))
                    .post("/api/v1/jobs/bulk").then().statusCode(200).body("count", equalTo(1));
            op.post("/api/v1/queues/" + other + "/pause").then().statusCode(403);
            op.post("/api/v1/queues/" + mine + "/pause").then().statusCode(200).body("paused", equalTo(true));
            op.post("/api/v1/queues/" + mine + "/resume").then().statusCode(200).body("paused", equalTo(false));
            op.contentType(ContentType.JSON).body("{}").put("/api/v1/queues/" + mine).then().statusCode(403);
            // its hub token: its own jobs (no room holds only its queues' jobs), never every job
            op.contentType(ContentType.JSON).body("{}").post("/api/v1/tokens").then().statusCode(200)
                    .body("rooms", equalTo(List.of("user:" + olga))).body("ownJobs", equalTo(true));
        }
        admin("root").get("/api/v1/jobs/" + bobsOther).then().body("status", equalTo("QUEUED"));
        admin("root").get("/api/v1/jobs/" + olgasOther).then().body("status", equalTo("QUEUED"));
        admin("root").get("/api/v1/queues/" + other).then().body("paused", equalTo(false));

        // schedules: runs those of its queue only
        ApiKey admin = ApiKey.create(db, "scheduler");
        for (String queue : List.of(mine, other)) {
            admin.given().contentType(ContentType.JSON).body("{\"name\": \"" + queue + "\", \"type\": \"demo\", "
                    + "\"owner\": \"" + bob + "\", \"queue\": \"" + queue + "\", \"cron\": \"0 3 * * *\"}")
                    .post("/api/v1/schedules").then().statusCode(201);
        }
        key.given().post("/api/v1/schedules/" + other + "/run").then().statusCode(403);
        key.given().post("/api/v1/schedules/" + mine + "/run").then().statusCode(201).body("queue", equalTo(mine));
        key.given().post("/api/v1/jobs/" + bobsMine + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        key.given().post("/api/v1/jobs/" + bobsMine + "/retry").then().statusCode(200).body("status", equalTo("QUEUED"));
        for (String queue : List.of(mine, other)) {
            admin.given().delete("/api/v1/schedules/" + queue).then().statusCode(204);
        }
    }

    @Test
    void aKeysRoleIsItsRowsRole() {
        String carol = someone();
        ApiKey viewer = ApiKey.create(db, "viewer-service", "viewer");
        ApiKey operator = ApiKey.create(db, "operator-service", "operator");
        // a key submits for anyone, but a viewer key reads only jobs owned by its own name
        long id = submit(viewer.given(), carol);
        viewer.given().get("/api/v1/jobs/" + id).then().statusCode(404);
        viewer.given().get("/api/v1/me").then().body("role", equalTo("viewer")).body("via", equalTo("key"));
        viewer.given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(403);
        operator.given().get("/api/v1/jobs/" + id).then().statusCode(200).body("owner", equalTo(carol));
        operator.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        operator.given().contentType(ContentType.JSON).body("{}").put("/api/v1/queues/key-roles").then().statusCode(403);
    }

    @Test
    void aPersonGetsATokenForThemselvesOnlyWithTheirRolesRooms() {
        String alice = someone();
        as(alice).contentType(ContentType.JSON).body("{}").post("/api/v1/tokens").then().statusCode(200)
                .body("rooms", equalTo(List.of("user:" + alice))).body("ownJobs", equalTo(true));
        as(alice).contentType(ContentType.JSON).body("{\"user\": \"" + alice + "\"}").post("/api/v1/tokens").then()
                .statusCode(200).body("rooms[0]", equalTo("user:" + alice));
        as(alice).contentType(ContentType.JSON).body("{\"user\": \"" + someone() + "\"}").post("/api/v1/tokens").then()
                .statusCode(403).contentType("application/problem+json");
        operator(alice).contentType(ContentType.JSON).body("{}").post("/api/v1/tokens").then().statusCode(200)
                .body("rooms", equalTo(List.of("user:" + alice, "jobs"))).body("roomPrefixes", equalTo(List.of("job:")))
                .body("ownJobs", equalTo(false));
    }

    @Test
    void aPersonWithTheIdentityProvidersTokenActsAsThemselvesWithTheRoleTheirGroupsGive() {
        String erin = someone();
        String frank = someone();
        bearer(IDP.token(erin, List.of("staff"))).get("/api/v1/me").then().statusCode(200).body("user", equalTo(erin))
                .body("via", equalTo("oidc")).body("role", equalTo("viewer"));
        bearer(IDP.token(erin, List.of("jobflow-operator"))).get("/api/v1/me").then().body("role", equalTo("operator"));
        submit(bearer(IDP.token(erin, List.of())), erin);
        bearer(IDP.token(erin, List.of())).contentType(ContentType.JSON).body(job(frank)).post("/api/v1/jobs").then()
                .statusCode(403);
        bearer(IDP.token(frank, List.of())).get("/api/v1/jobs?owner=" + erin).then().statusCode(403);
        noJobsOf(admin("root"), frank);
    }

    @Test
    void aTokenTheProviderDidNotIssueForUsIsRefusedAndNothingIsWritten() {
        String mallory = someone();
        for (String token : List.of(IDP.forged(mallory), IDP.unsigned(mallory), IDP.hmacWithPublicKey(mallory),
                IDP.token(mallory, List.of("jobflow-admin"), c -> c.setAudience("another-service")),
                IDP.token(mallory, List.of("jobflow-admin"), c -> c.setExpirationTime(
                        org.jose4j.jwt.NumericDate.fromSeconds(org.jose4j.jwt.NumericDate.now().getValue() - 120))))) {
            AuthTest.isUnauthorized(bearer(token).contentType(ContentType.JSON).body(job(mallory)).post("/api/v1/jobs"));
            AuthTest.isUnauthorized(bearer(token).get("/api/v1/jobs"));
        }
        noJobsOf(admin("root"), mallory);
    }

    @Test
    void aKeyStillActsForAnyoneAndAnInvalidHeaderIsRefused() {
        ApiKey key = ApiKey.create(db, "proxied-service");
        String carol = someone();
        // the key wins over a header the proxy passed along
        submit(key.given().header("X-Forwarded-User", someone()), carol);
        String dave = someone();
        as("not a name").contentType(ContentType.JSON).body(job(dave)).post("/api/v1/jobs").then().statusCode(401)
                .contentType("application/problem+json");
        noJobsOf(key.given(), dave);
    }
}
