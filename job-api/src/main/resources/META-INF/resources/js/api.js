// job-api over fetch. Failures become ApiError carrying the problem+json body (RFC 9457).

export class ApiError extends Error {
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

async function call(method, path, { body, headers = {}, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: 'job-api is not reachable' });
  }
  const text = await response.text();
  const json = text ? safeParse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

export const api = {
  config: () => call('GET', 'api/v1/config'),
  /** Who job-api takes this browser for: {user, via: 'proxy'|'anonymous'|'key'}; ApiError 401 when nobody. */
  me: () => call('GET', 'api/v1/me'),
  /** @param {{status?: string, owner?: string, before?: number, limit?: number}} query */
  listJobs(query = {}, signal) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
    return call('GET', `api/v1/jobs?${params}`, { signal });
  },
  job: (id) => call('GET', `api/v1/jobs/${encodeURIComponent(id)}`),
  /** Submits a job; the idempotency key makes a resent request return the same job. */
  submit: (job, idempotencyKey) =>
    call('POST', 'api/v1/jobs', { body: job, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
  cancel: (id) => call('POST', `api/v1/jobs/${encodeURIComponent(id)}/cancel`),
  /** Retries a failed or cancelled job in place (same id). */
  retry: (id) => call('POST', `api/v1/jobs/${encodeURIComponent(id)}/retry`),
  queue: () => call('GET', 'api/v1/queue'),
  dispatchers: () => call('GET', 'api/v1/dispatchers'),
  /** The job types the dispatchers registered, with their declared parameters. */
  jobTypes: () => call('GET', 'api/v1/job-types'),
  runs: (id) => call('GET', `api/v1/jobs/${encodeURIComponent(id)}/runs`),
  logs: (id, after) => call('GET', `api/v1/jobs/${encodeURIComponent(id)}/logs?limit=500${after ? `&after=${after}` : ''}`),
  queues: () => call('GET', 'api/v1/queues'),
  pauseQueue: (name) => call('POST', `api/v1/queues/${encodeURIComponent(name)}/pause`),
  resumeQueue: (name) => call('POST', `api/v1/queues/${encodeURIComponent(name)}/resume`),
  schedules: () => call('GET', 'api/v1/schedules'),
  putSchedule: (name, body) => call('PUT', `api/v1/schedules/${encodeURIComponent(name)}`, { body }),
  runSchedule: (name) => call('POST', `api/v1/schedules/${encodeURIComponent(name)}/run`),
};

/** A fresh idempotency key (crypto.randomUUID needs a secure context; fall back off-localhost over http). */
export function newKey(prefix) {
  const random = globalThis.crypto?.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${prefix}-${random}`;
}
