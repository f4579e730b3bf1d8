package dev.jobflow.hub.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * The hub encodes its text frames itself, once per message ({@link TextFrame}): a client's own decoder
 * (Netty's, as a client: unmasked frames expected) reads each back as the same text, at every length
 * encoding (7 bits, 16, 64) and with characters that take more than one byte in UTF-8.
 */
class TextFrameTest {

    @Test
    void aClientDecodesEveryFrameAsItsTextAtEachLengthEncoding() {
        for (String text : new String[] { "", "{\"n\":1}", "é".repeat(62) + "x", "a".repeat(125), "a".repeat(126),
                "€".repeat(21_845), "a".repeat(65_535), "a".repeat(65_536), "ü😀".repeat(40_000) }) {
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false).allowMaskMismatch(false).maxFramePayloadLength(1 << 20).build()));
            TextFrame encoded = TextFrame.of(text);
            assertThat(client.writeInbound(Unpooled.wrappedBuffer(encoded.wire()))).isTrue();
            TextWebSocketFrame frame = client.readInbound();
            try {
                assertThat(frame.isFinalFragment()).isTrue();
                assertThat(frame.text()).as("a text of %d chars", text.length()).isEqualTo(text);
            } finally {
                frame.release();
            }
            assertThat((Object) client.readInbound()).as("one frame, nothing left over").isNull();
            client.finishAndReleaseAll();
        }
    }
}
