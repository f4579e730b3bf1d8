package dev.jobflow.e2e;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * A real OTLP/HTTP receiver for tests: accepts {@code POST /v1/traces} (protobuf, plain or gzip), answers
 * 200 with an empty ExportTraceServiceResponse, and keeps every span it decoded (the few fields of
 * opentelemetry-proto's trace.proto a test asserts: ids, parent, name, the service's name, attributes).
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name,
            Map<String, Object> attributes) {
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(exchange.getRequestBody())
                        : exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                paths.add(exchange.getRequestURI().getPath());
                if ("POST".equals(exchange.getRequestMethod())) {
                    spans.addAll(decodeRequest(body));
                }
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    /** What the services' {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set to. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The paths exports were sent to (the OTLP/HTTP exporter appends {@code /v1/traces}). */
    List<String> paths() {
        return List.copyOf(paths);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** ExportTraceServiceRequest: 1 resource_spans. */
    static List<Span> decodeRequest(byte[] body) {
        List<Span> out = new ArrayList<>();
        for (Field resourceSpans : fields(body)) {
            if (resourceSpans.number == 1) {
                decodeResourceSpans(resourceSpans.bytes, out);
            }
        }
        return out;
    }

    /** ResourceSpans: 1 resource (1 attributes), 2 scope_spans (2 spans). */
    private static void decodeResourceSpans(byte[] bytes, List<Span> out) {
        String service = "";
        List<byte[]> spanBytes = new ArrayList<>();
        for (Field field : fields(bytes)) {
            if (field.number == 1) {
                Object name = attributes(fields(field.bytes), 1).get("service.name");
                service = name == null ? "" : name.toString();
            } else if (field.number == 2) {
                for (Field scoped : fields(field.bytes)) {
                    if (scoped.number == 2) {
                        spanBytes.add(scoped.bytes);
                    }
                }
            }
        }
        for (byte[] span : spanBytes) {
            out.add(decodeSpan(service, span));
        }
    }

    /** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes. */
    private static Span decodeSpan(String service, byte[] bytes) {
        List<Field> fields = fields(bytes);
        String traceId = "", spanId = "", parent = "", name = "";
        for (Field field : fields) {
            switch (field.number) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes);
                case 4 -> parent = HexFormat.of().formatHex(field.bytes);
                case 5 -> name = new String(field.bytes, StandardCharsets.UTF_8);
                default -> {
                }
            }
        }
        return new Span(service, traceId, spanId, parent, name, attributes(fields, 9));
    }

    /** KeyValue (1 key, 2 AnyValue: 1 string, 2 bool, 3 int, 4 double) of the fields numbered {@code number}. */
    private static Map<String, Object> attributes(List<Field> fields, int number) {
        Map<String, Object> attributes = new HashMap<>();
        for (Field field : fields) {
            if (field.number != number) {
                continue;
            }
            String key = null;
            Object value = null;
            for (Field kv : fields(field.bytes)) {
                if (kv.number == 1) {
                    key = new String(kv.bytes, StandardCharsets.UTF_8);
                } else if (kv.number == 2) {
                    for (Field any : fields(kv.bytes)) {
                        value = switch (any.number) {
                            case 1 -> new String(any.bytes, StandardCharsets.UTF_8);
                            case 2 -> any.varint != 0;
                            case 3 -> any.varint;
                            case 4 -> Double.longBitsToDouble(any.varint);
                            default -> value;
                        };
                    }
                }
            }
            if (key != null) {
                attributes.put(key, value);
            }
        }
        return attributes;
    }

    /** One protobuf field: its number and either its bytes (length-delimited) or its number value. */
    private record Field(int number, byte[] bytes, long varint) {
    }

    /** The fields of one protobuf message (wire format: varint, 64-bit, length-delimited, 32-bit). */
    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        while (in.available() > 0) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> fields.add(new Field(number, null, varint(in)));
                case 1 -> fields.add(new Field(number, null,
                        ByteBuffer.wrap(take(in, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong()));
                case 2 -> fields.add(new Field(number, take(in, (int) varint(in)), 0));
                case 5 -> fields.add(new Field(number, null,
                        ByteBuffer.wrap(take(in, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt()));
                default -> throw new IllegalArgumentException("unsupported protobuf wire type in tag " + tag);
            }
        }
        return fields;
    }

    private static byte[] take(ByteArrayInputStream in, int length) {
        byte[] bytes = new byte[length];
        if (length > 0 && in.read(bytes, 0, length) != length) {
            throw new IllegalArgumentException("truncated protobuf field of " + length + " bytes");
        }
        return bytes;
    }

    private static long varint(ByteArrayInputStream in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalArgumentException("truncated varint");
            }
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
