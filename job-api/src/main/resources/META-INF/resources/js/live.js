// The live feed: a WebSocket to the progress-hub (protocol in docs/progress-hub.md) that
// authenticates with a token from job-api, joins rooms, resumes each room from the last offset it
// received after any disconnect, refreshes its token before it expires, and reports its state:
// 'connecting' (first attempt), 'live' (every room joined), 'reconnecting' (lost, retrying) or
// 'offline' (the hub has been unreachable for a while; still retrying).

const FIRST_JOIN_TIMEOUT_MS = 5000;
const BACKOFF_MS = [500, 1000, 2000, 4000, 5000];
const OFFLINE_AFTER_FAILURES = 5;
const REFRESH_BEFORE_MS = 60_000;

/**
 * @param {{hubUrl: string, rooms: string[], onMessage: (m: object) => void, onState: (s: string) => void,
 *          onReset: () => void}} options onReset: a resume could not be proven complete (reload the data)
 * @returns {Promise<void>} once every room is joined, or the first attempt failed or timed out
 */
export function connectLive(options) {
  const live = new LiveFeed(options);
  return live.start();
}

class LiveFeed {
  constructor({ hubUrl, rooms, onMessage, onState, onReset }) {
    this.url = hubUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/ws';
    this.rooms = new Map(rooms.map((room) => [room, { offset: null, epoch: null, joined: false }]));
    this.onMessage = onMessage;
    this.onState = onState;
    this.onReset = onReset;
    this.failures = 0;
    this.token = null;
    this.refreshTimer = null;
    this.firstJoin = null;
  }

  start() {
    this.setState('connecting');
    const joined = new Promise((resolve) => {
      this.firstJoin = resolve;
    });
    this.connect();
    return Promise.race([joined, new Promise((resolve) => setTimeout(resolve, FIRST_JOIN_TIMEOUT_MS))]);
  }

  setState(state) {
    if (state !== this.state) {
      this.state = state;
      this.onState(state);
    }
  }

  async connect() {
    try {
      if (!this.token || this.token.expiresAtMs - Date.now() < REFRESH_BEFORE_MS) {
        this.token = await fetchToken();
      }
    } catch {
      this.retry();
      return;
    }
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: this.token.token }));
    ws.onmessage = (event) => this.frame(ws, event.data);
    ws.onclose = (event) => this.closed(ws, event);
  }

  frame(ws, text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    switch (frame.type) {
      case 'authenticated':
        this.scheduleRefresh();
        if (![...this.rooms.values()].some((r) => r.joined)) {
          for (const [room, state] of this.rooms) ws.send(JSON.stringify(subscribeFrame(room, state)));
        }
        break;
      case 'subscribed': {
        const state = this.rooms.get(frame.room);
        if (!state) break;
        const resumed = state.offset != null;
        if (resumed && !frame.recovered) this.onReset();
        if (!resumed || !frame.recovered) state.offset = frame.offset;
        state.epoch = frame.epoch;
        state.joined = true;
        if ([...this.rooms.values()].every((r) => r.joined)) {
          this.failures = 0;
          this.setState('live');
          this.firstJoin?.();
          this.firstJoin = null;
        }
        break;
      }
      case 'message': {
        const state = this.rooms.get(frame.room);
        if (!state) break;
        if (state.offset == null || frame.offset > state.offset) state.offset = frame.offset;
        state.epoch = frame.epoch ?? state.epoch;
        this.onMessage(frame.data);
        break;
      }
      case 'error':
        if (frame.code === 'unavailable' && frame.room && this.rooms.has(frame.room)) {
          // the hub is still starting: ask again shortly
          setTimeout(() => ws.readyState === WebSocket.OPEN
            && ws.send(JSON.stringify(subscribeFrame(frame.room, this.rooms.get(frame.room)))), 1000);
        } else {
          console.warn('progress-hub:', frame.code, frame.message, frame.room ?? '');
        }
        break;
      default:
    }
  }

  closed(ws, event) {
    if (ws !== this.ws) return;
    clearTimeout(this.refreshTimer);
    for (const state of this.rooms.values()) state.joined = false;
    // 4401: token refused or expired, 4403: refreshed token for another subject: get a new one
    if (event.code === 4401 || event.code === 4403) this.token = null;
    // 4503: the hub drains (shutdown): go at once, to another replica if there is one
    if (event.code === 4503) this.failures = 0;
    this.retry();
  }

  retry() {
    this.failures += 1;
    this.setState(this.failures > OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting');
    if (this.firstJoin && this.failures >= 1) {
      this.firstJoin();
      this.firstJoin = null;
    }
    const base = BACKOFF_MS[Math.min(this.failures - 1, BACKOFF_MS.length - 1)];
    setTimeout(() => this.connect(), base / 2 + Math.random() * base / 2);
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    const due = Math.max(5000, this.token.expiresAtMs - Date.now() - REFRESH_BEFORE_MS);
    this.refreshTimer = setTimeout(async () => {
      try {
        this.token = await fetchToken();
        if (this.ws?.readyState === WebSocket.OPEN) {
          this.ws.send(JSON.stringify({ type: 'auth', token: this.token.token }));
        }
      } catch {
        this.refreshTimer = setTimeout(() => this.scheduleRefresh(), 10_000);
      }
    }, due);
  }
}

function subscribeFrame(room, state) {
  const frame = { type: 'subscribe', room };
  if (state.offset != null) {
    frame.since = state.offset;
    if (state.epoch) frame.epoch = state.epoch;
  }
  return frame;
}

/**
 * A hub token from job-api (POST /api/v1/tokens) for the caller job-api knows (the proxy's user, or
 * the local user): a person's token is always their own, so the body names nobody.
 */
async function fetchToken() {
  const response = await fetch('api/v1/tokens', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: '{}',
  });
  if (!response.ok) throw new Error(`token: HTTP ${response.status}`);
  const token = await response.json();
  // expiresAt: epoch seconds (or an ISO instant)
  const expires = typeof token.expiresAt === 'number' ? token.expiresAt * 1000 : Date.parse(token.expiresAt);
  return { token: token.token, expiresAtMs: expires };
}
