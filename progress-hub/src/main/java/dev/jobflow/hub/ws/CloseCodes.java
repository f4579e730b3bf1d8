package dev.jobflow.hub.ws;

/** WebSocket close codes of the hub (docs/progress-hub.md, "Close codes"). */
public final class CloseCodes {
    /** No valid token in time, or the token expired without a refresh: get a new token, reconnect. */
    public static final int UNAUTHORIZED = 4401;
    /** A refreshed token names another subject than the connection's. */
    public static final int FORBIDDEN = 4403;
    /** The client did not read fast enough; its outbound buffer overflowed. Reconnect and resume. */
    public static final int SLOW_CONSUMER = 4408;
    /** Too many connections for this subject on this replica. */
    public static final int TOO_MANY_CONNECTIONS = 4429;
    /** The replica is draining (shutdown): reconnect (to another replica) and resume. */
    public static final int DRAINING = 4503;
    /** Standard: a frame exceeded the maximum message size. */
    public static final int TOO_BIG = 1009;

    private CloseCodes() {
    }
}
