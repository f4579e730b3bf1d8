// Jobflow browser client: an ES module, no build step. job-api and progress-hub both serve it at
// /client/jobflow.js (it lives in http-edge, which both carry), and the job-monitor page uses it.
//
//   import { connect, submit, cancel } from '/client/jobflow.js';
//   const job = await submit({ name: 'load', type: 'demo', params: { duration: 5 } }, { idempotencyKey: 'k-1' });
//   const hub = connect({ url: 'ws://localhost:8082/ws', getToken: async () => (await fetch(...)).token });
//   const off = hub.subscribe(`job:${job.id}`, (data, msg) => render(data), { latest: true });
//   await hub.joined(`job:${job.id}`);      // the hub confirmed the room (or 5 s passed)
//   hub.onState((state, { failures }) => badge(state));   // 'connecting' | 'open' | 'closed'
//   await cancel(job.id);
//   off(); hub.close();
//
// submit and cancel call job-api (apiUrl: '' for the page's own origin, else e.g.
// 'http://localhost:8080/'); a failure is a JobflowError with the HTTP status and the problem+json body.
//
// The hub connection authenticates with the token from getToken() in an auth frame (the token stays
// out of the URL), refreshes it before it expires over the open connection, and after ANY
// disconnect reconnects (with backoff) and resumes every room from the last offset it received, so
// a handler sees each message once, in order. When a resume cannot be complete the hub says
// recovered=false and sends the room's latest message; onGap(room) is told (reload what you show).

const RETRYABLE_CLOSE = new Set([4401, 4408, 4503, 1001, 1006, 1011, 1012]);
const JOIN_TIMEOUT_MS = 5000;

/** A failed job-api call: status (0: not reachable) and the problem+json body (RFC 9457). */
export class JobflowError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** Field errors of a 400, as {field: message}. */
  get fieldErrors() {
    const out = {};
    for (const e of this.problem.errors || []) out[e.field] = e.message;
    return out;
  }
}

/** One job-api call: path relative to apiUrl ('api/v1/...'); resolves with the JSON body (or null). */
export async function request(method, path, { apiUrl = '', body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const base = apiUrl && !apiUrl.endsWith('/') ? `${apiUrl}/` : apiUrl;
  let response;
  try {
    response = await fetch(base + path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new JobflowError(0, { title: 'Network error', detail: 'job-api is not reachable' });
  }
  const text = await response.text();
  const json = text ? parseOr(text) : null;
  if (!response.ok) throw new JobflowError(response.status, json);
  return json;
}

function parseOr(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

/**
 * Submits a job ({name, type, params?, owner?, queue?, priority?, maxAttempts?, runAt?, ...}); the
 * idempotency key makes a resent request return the same job. Resolves with the job.
 */
export function submit(job, { apiUrl = '', idempotencyKey, headers = {} } = {}) {
  return request('POST', 'api/v1/jobs', { apiUrl, body: job,
    headers: idempotencyKey ? { ...headers, 'Idempotency-Key': idempotencyKey } : headers });
}

/** Cancels a job (a queued one at once, a running one within a heartbeat). Resolves with the job. */
export function cancel(id, { apiUrl = '', headers = {} } = {}) {
  return request('POST', `api/v1/jobs/${encodeURIComponent(id)}/cancel`, { apiUrl, headers });
}

export function connect({ url, getToken, onGap = () => {}, onError = () => {} }) {
  // room -> { handlers: Set, offset: number|null, epoch: string|null, latest: bool, joined: bool, waiters: [] }
  const rooms = new Map();
  const stateListeners = new Set();
  let socket = null;
  let state = 'closed';
  let closedByUser = false;
  let attempt = 0;      // failed connection attempts in a row
  let refreshTimer = null;

  const setState = (next) => {
    if (next !== state) {
      state = next;
      stateListeners.forEach((listener) => listener(state, { failures: attempt }));
    }
  };

  const send = (frame) => {
    if (socket && socket.readyState === WebSocket.OPEN && socket.authenticated) {
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
        socket?.send(JSON.stringify({ type: 'auth', token: await getToken() }));
      } catch (e) {
        onError(e);
      }
    }, inMs);
  };

  const joined = (entry) => {
    entry.joined = true;
    entry.waiters.splice(0).forEach((resolve) => resolve(true));
  };

  const open = async () => {
    if (closedByUser) return;
    setState('connecting');
    let token;
    try {
      token = await getToken();
    } catch (e) {
      onError(e);
      attempt += 1;
      setState('closed');
      return retry();
    }
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      const entry = rooms.get(frame.room);
      switch (frame.type) {
        case 'authenticated':
          scheduleRefresh(frame.expiresAt);
          if (!ws.authenticated) {
            ws.authenticated = true;
            attempt = 0;
            setState('open');
            rooms.forEach((e, room) => send(subscribeFrame(room, e)));
          }
          break;
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
            joined(entry);
          }
          break;
        case 'error':
          if (frame.code === 'unavailable' && entry) {
            // the hub is still starting: ask again shortly
            setTimeout(() => rooms.get(frame.room) === entry && send(subscribeFrame(frame.room, entry)), 1000);
          } else {
            onError(frame);
          }
          break;
        default:
          break;
      }
    };
    ws.onclose = (event) => {
      if (socket === ws) socket = null;
      clearTimeout(refreshTimer);
      rooms.forEach((entry) => {
        entry.joined = false;
      });
      if (!closedByUser && (RETRYABLE_CLOSE.has(event.code) || event.code < 4000)) {
        if (event.code !== 4503) attempt += 1; // 4503: the hub drains; go at once to another replica
        setState('closed');
        retry();
      } else {
        setState('closed');
        if (!closedByUser) onError({ code: event.code, message: event.reason });
      }
    };
  };

  const retry = () => {
    if (closedByUser) return;
    // 0.5 s doubling to 5 s, with jitter; at once after a drain (4503)
    const delay = attempt === 0 ? 0 : Math.min(5000, 500 * 2 ** Math.min(attempt - 1, 4)) * (0.5 + Math.random() / 2);
    setTimeout(open, delay);
  };

  open();

  return {
    /** Calls handler(data, frame) for each message of the room; returns the unsubscribe function. */
    subscribe(room, handler, { latest = false } = {}) {
      let entry = rooms.get(room);
      if (!entry) {
        entry = { handlers: new Set(), offset: null, epoch: null, latest, joined: false, waiters: [] };
        rooms.set(room, entry);
        send(subscribeFrame(room, entry));
      }
      entry.handlers.add(handler);
      return () => {
        entry.handlers.delete(handler);
        if (entry.handlers.size === 0 && rooms.get(room) === entry) {
          rooms.delete(room);
          entry.waiters.splice(0).forEach((resolve) => resolve(false));
          send({ type: 'unsubscribe', room });
        }
      };
    },
    /** Resolves true once the hub confirmed the room (subscribe it first), false after timeoutMs. */
    joined(room, timeoutMs = JOIN_TIMEOUT_MS) {
      const entry = rooms.get(room);
      if (!entry) return Promise.resolve(false);
      if (entry.joined) return Promise.resolve(true);
      return new Promise((resolve) => {
        entry.waiters.push(resolve);
        setTimeout(() => resolve(false), timeoutMs);
      });
    },
    /** 'connecting' | 'open' | 'closed' */
    get state() {
      return state;
    },
    /** Calls listener(state, {failures}) on every change; returns the function that removes it. */
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
