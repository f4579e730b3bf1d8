package dev.jobflow.k8s.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The job-api calls the simulation relies on: submit, queue depth, list running jobs, read a job. */
final class JobApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final String apiKey;

    /** @param apiKey a job-api key (the simulation writes as a service) */
    JobApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** POST /api/v1/jobs; returns the new job's id. */
    long submit(String name, String type, Map<String, Object> params) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("owner", "k8s-sim");
        body.put("type", type);
        body.put("params", params);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("submit: HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asLong();
    }

    /** GET /api/v1/queue: every numeric field by name (ready, delayed, running, ...). */
    Map<String, Double> queue() throws IOException, InterruptedException {
        Map<String, Double> values = new LinkedHashMap<>();
        get("/api/v1/queue").properties().forEach(e -> {
            if (e.getValue().isNumber()) {
                values.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return values;
    }

    /** GET /api/v1/jobs?status=RUNNING: the lease owners (replicas) of the running jobs. */
    Set<String> runningLeaseOwners() throws IOException, InterruptedException {
        Set<String> owners = new HashSet<>();
        get("/api/v1/jobs?status=RUNNING&limit=500").path("items")
                .forEach(job -> owners.add(job.path("leaseOwner").asText("")));
        return owners;
    }

    /** GET /api/v1/jobs/{id}. */
    JsonNode job(long id) throws IOException, InterruptedException {
        return get("/api/v1/jobs/" + id);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        // reads need an identity too (the simulation's key is an admin: it reads every job)
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
