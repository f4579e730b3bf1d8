package dev.jobflow.bench.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;

/**
 * The load generator's HTTP/1.1 client for throughput scenarios: keep-alive connections of one
 * Vert.x client, one per {@link ClosedLoop} client thread. It shares the machine's cores with the
 * service it measures, so it must cost little: {@code java.net.http.HttpClient} took about 330 µs
 * of CPU per request (half of job-api's own), this one a fraction of that (docs/benchmarks.md §2j).
 * Every request runs on one event loop, its connections' own: built on the calling threads, one answer in
 * about 300,000 was lost (a response ending before its body was asked for on another thread, §2j).
 */
public final class HttpLoad implements AutoCloseable {
    private final io.vertx.core.http.HttpClient client;
    private final Context context;
    private final Duration timeout;

    public HttpLoad(Vertx vertx, int connections, Duration timeout) {
        this.client = vertx.getDelegate().createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections));
        this.context = vertx.getDelegate().getOrCreateContext();
        this.timeout = timeout;
    }

    /** POSTs {@code body} to {@code url} and waits for the whole answer; its status code. */
    public int post(String url, Map<String, String> headers, Buffer body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setTimeout(timeout.toMillis());
        headers.forEach(options::putHeader);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        context.runOnContext(ignored -> client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(done -> response.statusCode()))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        status.complete(result.result());
                    } else {
                        status.completeExceptionally(result.cause());
                    }
                }));
        return status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
    }
}
