package dev.jobflow.hub.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket over a plain socket, for frames a client library will not send as one (java.net.http
 * splits a large message into frames): the handshake, one text frame with the length it is given,
 * and the server's close frame read back.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens {@code /ws} (no token) and completes the handshake. */
    public static RawWebSocket open(URL base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(socket);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        ws.out.write(("GET /ws HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        ws.out.flush();
        String status = ws.line();
        if (!status.contains(" 101 ")) {
            throw new IOException("no upgrade: " + status);
        }
        while (!ws.line().isEmpty()) {
            // the handshake's headers
        }
        return ws;
    }

    /** Sends one final text frame of {@code length} bytes of 'z' (masked, as a client must). */
    public void sendTextFrame(int length) throws IOException {
        out.write(0x81);
        out.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (((long) length) >>> shift) & 0xff);
        }
        byte[] mask = { 1, 2, 3, 4 };
        out.write(mask);
        byte[] payload = new byte[Math.min(length, 64 * 1024)];
        for (int sent = 0; sent < length; sent += payload.length) {
            int n = Math.min(payload.length, length - sent);
            for (int i = 0; i < n; i++) {
                payload[i] = (byte) ('z' ^ mask[(sent + i) % 4]);
            }
            try {
                out.write(payload, 0, n);
            } catch (IOException e) {
                return; // the server stopped reading; what it answered is still there to read
            }
        }
        out.flush();
    }

    /** The close code of the server's close frame, or -1 when the connection ended without one. */
    public int closeCode() throws IOException {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                long length = in.readUnsignedByte() & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes((int) length);
                if ((first & 0x0f) == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return -1;
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream stream = in;
        for (int c = stream.read(); c != -1 && c != '\n'; c = stream.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
