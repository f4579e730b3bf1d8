package dev.jobflow.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain {@link Socket}, for requests a client library refuses to send (an oversized
 * header, a very long URI, a malformed path, a wrong method, a body the size it announces or not):
 * what is written is exactly the bytes given. The answer is read to its Content-Length (or chunked
 * end); with {@link #awaitingClose} the read goes on until the server closes the connection (or the
 * timeout fails the test), so that {@link Answer#closed()} tells whether it did.
 */
public final class RawHttp {
    private static final int TIMEOUT_MS = 10_000;

    /** An answer: status, headers (names lower-cased), body, and whether the server was seen to close the connection. */
    public record Answer(int status, Map<String, String> headers, String body, boolean closed) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body)
                    + (closed ? " (closed)" : "");
        }
    }

    private final boolean awaitClose;

    private RawHttp(boolean awaitClose) {
        this.awaitClose = awaitClose;
    }

    /** Requests whose answer is read, and the connection left open. */
    public static RawHttp http() {
        return new RawHttp(false);
    }

    /** Requests whose answer is read, then the end of the connection awaited (the server is expected to close it). */
    public static RawHttp awaitingClose() {
        return new RawHttp(true);
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}. */
    public Answer send(URL base, String head, byte[] body) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it read everything; its answer is still there to read
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + head.lines().findFirst().orElse(""), e);
        }
    }

    /** A request without a body: {@code method target}, with Host and Connection: keep-alive, plus {@code extra} lines. */
    public Answer request(URL base, String method, String target, String... extra) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort());
        for (String line : extra) {
            head.append("\r\n").append(line);
        }
        return send(base, head.toString(), null);
    }

    private Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8), awaitClose && closed(in));
    }

    /** Whether the server closed the connection after its answer (a read ends, or fails with a reset). */
    private static boolean closed(InputStream in) {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }
}
