package dev.jobflow.api;

import static dev.jobflow.api.AuthTest.job;
import static dev.jobflow.api.AuthTest.noJobsOf;
import static dev.jobflow.api.AuthTest.someone;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.jobflow.testing.PostgresTestResource;

/** Local development ({@code jobflow.api.auth.anonymous-user}): a write without identity acts as that user. */
@QuarkusTest
@TestProfile(AnonymousAuthTest.LocalMode.class)
@WithTestResource(PostgresTestResource.class)
class AnonymousAuthTest {

    public static class LocalMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobflow.api.auth.anonymous-user", "local-dev");
        }
    }

    @Test
    void anUnauthenticatedWriteActsAsTheAnonymousUser() {
        // local mode reads without an identity, as the anonymous user with its role (admin by default)
        given().get("/api/v1/me").then().statusCode(200).body("user", equalTo("local-dev"))
                .body("via", equalTo("anonymous")).body("role", equalTo("admin"));
        long id = given().contentType(ContentType.JSON).body("{\"name\": \"local\", \"type\": \"demo\"}")
                .post("/api/v1/jobs").then().statusCode(201).body("owner", equalTo("local-dev"))
                .extract().jsonPath().getLong("id");
        String other = someone();
        given().contentType(ContentType.JSON).body(job(other)).post("/api/v1/jobs").then().statusCode(403);
        noJobsOf(given(), other);
        given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/tokens").then().statusCode(200)
                .body("rooms[0]", equalTo("user:local-dev"));
        given().contentType(ContentType.JSON).body("{\"user\": \"" + other + "\"}").post("/api/v1/tokens").then()
                .statusCode(403);
        // the proxy header is still not trusted: it does not change who the caller is
        given().header("X-Forwarded-User", other).get("/api/v1/me").then().body("user", equalTo("local-dev"));
    }

    @Test
    void aPresentedCredentialThatIsNotAKeyIsRefusedEvenInLocalMode() {
        int before = given().get("/api/v1/jobs?limit=500").then().extract().jsonPath().getList("items").size();
        Map<String, String> credentials = Map.of(
                "X-Api-Key", "",
                "Authorization", "Basic dXNlcjpwYXNzd29yZA==");
        for (Map.Entry<String, String> credential : credentials.entrySet()) {
            given().header(credential.getKey(), credential.getValue()).contentType(ContentType.JSON)
                    .body("{\"name\": \"x\", \"type\": \"demo\"}").post("/api/v1/jobs")
                    .then().statusCode(401).contentType("application/problem+json");
            given().header(credential.getKey(), credential.getValue()).get("/api/v1/me").then().statusCode(401);
        }
        given().header("Authorization", "Bearer ").get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer unknown-key").get("/api/v1/me").then().statusCode(401);
        org.assertj.core.api.Assertions.assertThat(
                given().get("/api/v1/jobs?limit=500").then().extract().jsonPath().getList("items")).hasSize(before);
    }

    @Test
    void localModeServesTheSwaggerUiOverTheOpenApiDocument() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("swagger-ui"));
    }
}
