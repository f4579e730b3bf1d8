package dev.jobflow.hub.log;

import java.nio.charset.StandardCharsets;

/**
 * A frame for subscribers: the WebSocket text frame that carries its JSON text (RFC 6455, 5.2: final,
 * unmasked, as a server sends it), encoded once however many connections it goes to.
 */
public final class TextFrame {
    private final byte[] wire;

    private TextFrame(byte[] wire) {
        this.wire = wire;
    }

    public static TextFrame of(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
        byte[] wire = new byte[header + length];
        wire[0] = (byte) 0x81; // FIN, opcode 1: text
        if (length < 126) {
            wire[1] = (byte) length;
        } else if (length < 65_536) {
            wire[1] = 126;
            wire[2] = (byte) (length >>> 8);
            wire[3] = (byte) length;
        } else {
            wire[1] = 127;
            for (int i = 0; i < 8; i++) {
                wire[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, wire, header, length);
        return new TextFrame(wire);
    }

    /** The frame as it goes on the wire; shared: never modify it. */
    public byte[] wire() {
        return wire;
    }

    /** Its size on the wire, in bytes (what a connection's window and outbox count). */
    public int size() {
        return wire.length;
    }
}
