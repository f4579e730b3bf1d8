// job-api for the page, over the Jobflow browser client (/client/jobflow.js, the same module other
// browser code uses): its request, submit and cancel; failures are its JobflowError (problem+json).

import { cancel, JobflowError, request as call, submit } from '../client/jobflow.js';

export { JobflowError as ApiError };

export const api = {
  config: () => call('GET', 'api/v1/config'),
  /** Who job-api takes this browser for: {user, via: 'proxy'|'oidc'|'anonymous'|'key'}; ApiError 401 when nobody. */
  me: () => call('GET', 'api/v1/me'),
  /** @param {{status?: string, owner?: string, q?: string, before?: number, limit?: number}} query */
  listJobs(query = {}, signal) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
    return call('GET', `api/v1/jobs?${params}`, { signal });
  },
  job: (id) => call('GET', `api/v1/jobs/${encodeURIComponent(id)}`),
  /** Submits a job; the idempotency key makes a resent request return the same job. */
  submit: (job, idempotencyKey) => submit(job, { idempotencyKey }),
  cancel: (id) => cancel(id),
  /** Retries a failed or cancelled job in place (same id). */
  retry: (id) => call('POST', `api/v1/jobs/${encodeURIComponent(id)}/retry`),
  /** Retry, cancel or delete the jobs a filter matches ({ids: [...]} names them); dryRun only counts. */
  bulk: (action, filter, dryRun) => call('POST', 'api/v1/jobs/bulk', { body: { action, dryRun, filter } }),
  /** A hub token for the caller job-api knows: {token, expiresAt}. */
  token: () => call('POST', 'api/v1/tokens', { body: {} }),
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
