// Display helpers: times, durations, statuses.

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** A clock time for today, a date and time otherwise; '' for null. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

/** "0.4 s", "12 s", "3 m 05 s", "2 h 01 m". */
export function formatDuration(ms) {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

/** How long a job has run: finished − started, or now − started while it runs. */
export function jobDuration(job, now = Date.now()) {
  if (!job.startedAt) return null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : job.status === 'RUNNING' ? now : null;
  return end == null ? null : end - Date.parse(job.startedAt);
}

export function formatAge(seconds) {
  if (seconds == null) return '–';
  return seconds < 0.05 ? '0 s' : formatDuration(seconds * 1000);
}

const LABELS = {
  QUEUED: 'Queued', RUNNING: 'Running', COMPLETED: 'Completed', FAILED: 'Failed', CANCELLED: 'Cancelled',
};

export function statusLabel(status) {
  return LABELS[status] || status;
}

export const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
