package dev.jobflow.core.store;

/**
 * The byte limits of the text columns a store writes, and the one way to fit a value into them.
 * Limits are in UTF-8 bytes, not characters: Oracle's {@code VARCHAR2(4000 CHAR)} holds at most
 * 4,000 bytes under the default {@code MAX_STRING_SIZE=STANDARD}, so a value cut to 4,000 Java
 * characters can still raise ORA-12899. Both backends cut the same way, so a value reads back the
 * same from either.
 */
public final class ColumnLimits {

    /** jobs.error. */
    public static final int ERROR_BYTES = 4000;
    /** jobs.progress_message (the trigger's JSON payload wraps it and must stay within 4,000 bytes). */
    public static final int PROGRESS_MESSAGE_BYTES = 1000;
    /** jobs.result: a JSON value's text (Oracle's check wraps it in brackets within 4,000 bytes). */
    public static final int RESULT_BYTES = 3998;
    /** job_logs.message. */
    public static final int LOG_MESSAGE_BYTES = 2000;

    private ColumnLimits() {
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 encoding has at most {@code maxBytes} bytes,
     * never splitting a character (a surrogate pair stays whole or goes); null stays null.
     */
    public static String truncateToBytes(String text, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        }
        if (text == null || text.length() * 3L <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text;
    }

}
