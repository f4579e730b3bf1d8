// Jobflow progress-hub browser client: an ES module, no build step.
//
//   import { connect } from '/client/jobflow.js';
//   const hub = connect({ url: 'ws://localhost:8082/ws', getToken: async () => (await fetch(...)).token });
//   const off = hub.subscribe('job:42', (data, msg) => render(data), { latest: true });
//   hub.onState(state => badge(state));   // 'connecting' | 'open' | 'closed'
//   off(); hub.close();
//
// It authenticates with the token from getToken(), refreshes it before it expires over the open
// connection, and after ANY disconnect reconnects (with backoff) and resumes every room from the
// last offset it received, so the handler sees each message once, in order. When a resume cannot
// be complete the hub says recovered=false and sends the room's latest message; onGap is told.

const RETRYABLE_CLOSE = new Set([4401, 4408, 4503, 1001, 1006, 1011, 1012]);

export function connect({ url, getToken, onGap = () => {}, onError = () => {} }) {
  const rooms = new Map(); // room -> { handlers: Set, offset: number|null, epoch: string|null, latest: bool }
  const stateListeners = new Set();
  let socket = null;
  let state = 'closed';
  let closedByUser = false;
  let attempt = 0;
  let refreshTimer = null;

  const setState = (next) => {
    if (next !== state) {
      state = next;
      stateListeners.forEach((listener) => listener(state));
    }
  };

  const send = (frame) => {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    }
  };

  const subscribeFrame = (room, entry) => {
    const frame = { type: 'subscribe', room };
    if (entry.offset !== null) {
      frame.since = entry.offset;
      if (entry.epoch) frame.epoch = entry.epoch;
    } else if (entry.latest) {
      frame.latest = true;
    }
    return frame;
  };

  const scheduleRefresh = (expiresAt) => {
    clearTimeout(refreshTimer);
    const inMs = Math.max(1000, (expiresAt * 1000 - Date.now()) * 0.8);
    refreshTimer = setTimeout(async () => {
      try {
        send({ type: 'auth', token: await getToken() });
      } catch (e) {
        onError(e);
      }
    }, inMs);
  };

  const open = async () => {
    if (closedByUser) return;
    setState('connecting');
    let token;
    try {
      token = await getToken();
    } catch (e) {
      onError(e);
      return retry();
    }
    const ws = new WebSocket(url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token));
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      rooms.forEach((entry, room) => send(subscribeFrame(room, entry)));
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      const entry = rooms.get(frame.room);
      switch (frame.type) {
        case 'message':
          if (entry && (entry.offset === null || frame.offset > entry.offset)) {
            entry.offset = frame.offset;
            entry.epoch = frame.epoch;
            entry.handlers.forEach((handler) => handler(frame.data, frame));
          }
          break;
        case 'subscribed':
          if (entry) {
            if (!frame.recovered && entry.offset !== null) onGap(frame.room, frame);
            entry.epoch = frame.epoch;
            if (entry.offset === null || !frame.recovered) entry.offset = frame.offset;
          }
          break;
        case 'authenticated':
          scheduleRefresh(frame.expiresAt);
          break;
        case 'error':
          onError(frame);
          break;
        default:
          break;
      }
    };
    ws.onclose = (event) => {
      if (socket === ws) socket = null;
      clearTimeout(refreshTimer);
      setState('closed');
      if (!closedByUser && (RETRYABLE_CLOSE.has(event.code) || event.code < 4000)) retry();
      else if (!closedByUser) onError({ code: event.code, message: event.reason });
    };
  };

  const retry = () => {
    if (closedByUser) return;
    attempt += 1;
    const delay = Math.min(10000, 250 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
    setTimeout(open, delay);
  };

  open();

  return {
    /** Calls handler(data, frame) for each message of the room; returns the unsubscribe function. */
    subscribe(room, handler, { latest = false } = {}) {
      let entry = rooms.get(room);
      if (!entry) {
        entry = { handlers: new Set(), offset: null, epoch: null, latest };
        rooms.set(room, entry);
        send(subscribeFrame(room, entry));
      }
      entry.handlers.add(handler);
      return () => {
        entry.handlers.delete(handler);
        if (entry.handlers.size === 0) {
          rooms.delete(room);
          send({ type: 'unsubscribe', room });
        }
      };
    },
    /** 'connecting' | 'open' | 'closed' */
    get state() {
      return state;
    },
    /** Calls listener(state) on every change; returns the function that removes it. */
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    /** The last offset received per room (what a resume starts from). */
    offsets() {
      return Object.fromEntries([...rooms].map(([room, entry]) => [room, entry.offset]));
    },
    close() {
      closedByUser = true;
      clearTimeout(refreshTimer);
      if (socket) socket.close(1000, 'client closed');
      setState('closed');
    },
  };
}
