package dev.jobflow.dispatcher.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook request is signed: header {@value #HEADER} is {@code t=<unix seconds>,v1=<hex>},
 * where hex is the lowercase HMAC-SHA256, keyed with the queue's secret (its UTF-8 bytes), of
 * {@code <t>.<body>} (the decimal time, a dot, the raw request body). A receiver recomputes it,
 * compares in constant time, and refuses an old {@code t} (replays).
 */
public final class WebhookSignature {
    public static final String HEADER = "Jobflow-Signature";
    public static final String EVENT_HEADER = "Jobflow-Event";
    public static final String EVENT_ID_HEADER = "Jobflow-Event-Id";
    public static final String ATTEMPT_HEADER = "Jobflow-Delivery-Attempt";

    private WebhookSignature() {
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public static String sign(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    static String hmacHex(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
