// A job's detail: status, queue, attempts, result and error, its runs, and its log, which follows
// the job live while the dialog is open: the dialog joins the hub room job:{id} first, then reads
// the job, its runs and its log over REST; log lines that arrive in the room meanwhile or later are
// merged by their id (each shown once, in order). A status message re-reads the job and its runs.
// When the room cannot be joined (hub unreachable), the dialog reads over REST every few seconds.

import { formatTime, statusLabel, TERMINAL } from './format.js';

const FALLBACK_MS = 3000;

export class JobDetail {
  /**
   * @param {HTMLDialogElement} dialog
   * @param {object} api the job-api client (job, runs, logs)
   * @param {object} hub the hub connection of /client/jobflow.js (subscribe, joined)
   */
  constructor(dialog, api, hub) {
    this.dialog = dialog;
    this.api = api;
    this.hub = hub;
    this.jobId = null;
    this.unsubscribe = null;
    this.timer = null;
    dialog.addEventListener('close', () => this.stop());
  }

  stop() {
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.jobId = null;
  }

  async open(job) {
    this.stop();
    const id = job.id;
    this.jobId = id;
    this.lines = new Map(); // log line id -> line
    this.status = job.status;
    this.dialog.querySelector('#detail-title').textContent = `Job ${id} · ${job.name}`;
    this.dialog.querySelector('#detail-log').replaceChildren();
    this.dialog.querySelector('#detail-runs').replaceChildren();
    this.showJob(job);
    if (!this.dialog.open) this.dialog.showModal();
    const room = `job:${id}`;
    this.unsubscribe = this.hub.subscribe(room, (data) => this.live(id, data));
    const live = await this.hub.joined(room, 3000);
    if (id !== this.jobId) return;
    await this.read(id);
    if (!live && id === this.jobId) this.poll(id);
  }

  /** The room lost messages (a resume the hub could not complete): read again over REST. */
  resync(room) {
    if (this.jobId !== null && room === `job:${this.jobId}`) this.read(this.jobId);
  }

  /** One message of the room: a log line, or the job's status and progress. */
  live(id, data) {
    if (id !== this.jobId) return;
    if (data.log) {
      this.addLines([data.log]);
    } else if (data.status && data.status !== this.status) {
      this.status = data.status;
      this.read(id, { logs: false });
    }
  }

  /** Reads the job, its runs and (unless {@code logs} is false) every log line after the last shown. */
  async read(id, { logs = true } = {}) {
    try {
      const [job, runs] = await Promise.all([this.api.job(id), this.api.runs(id)]);
      if (id !== this.jobId) return;
      this.status = job.status;
      this.showJob(job);
      this.showRuns(runs.items);
      let after = logs ? this.lastLineId() : null;
      while (logs) {
        const page = await this.api.logs(id, after);
        if (id !== this.jobId) return;
        this.addLines(page.items);
        if (!page.nextAfterId) break;
        after = page.nextAfterId;
      }
    } catch {
      // the next message, or the fallback poll, reads again
    }
  }

  /** Without the room: the job over REST every few seconds until it ends. */
  poll(id) {
    this.timer = setTimeout(async () => {
      if (id !== this.jobId) return;
      await this.read(id);
      if (id === this.jobId && !TERMINAL.has(this.status)) this.poll(id);
    }, FALLBACK_MS);
  }

  lastLineId() {
    let last = null;
    for (const lineId of this.lines.keys()) if (last === null || lineId > last) last = lineId;
    return last;
  }

  showJob(job) {
    const set = (name, value) => { this.dialog.querySelector(`[data-fact="${name}"]`).textContent = value; };
    set('status', statusLabel(job.status));
    set('queue', job.queue ?? 'default');
    set('attempts', `${job.attempts} of ${job.maxAttempts}`);
    set('result', job.result === null || job.result === undefined ? '–' : JSON.stringify(job.result));
    set('error', job.error || '–');
  }

  showRuns(runs) {
    this.dialog.querySelector('#detail-runs').replaceChildren(...runs.map((r) => {
      const tr = document.createElement('tr');
      for (const value of [r.attempt, r.replica ?? '–', r.startedAt ? formatTime(r.startedAt) : '–',
        formatTime(r.endedAt), r.outcome.toLowerCase(), r.error ?? '']) {
        const td = document.createElement('td');
        td.textContent = value;
        tr.append(td);
      }
      return tr;
    }));
  }

  /** Adds the lines not shown yet, keeping the list in line order. */
  addLines(lines) {
    const list = this.dialog.querySelector('#detail-log');
    for (const line of lines) {
      if (this.lines.has(line.id)) continue;
      this.lines.set(line.id, line);
      const li = document.createElement('li');
      li.className = `log-${String(line.level).toLowerCase()}`;
      li.dataset.id = line.id;
      li.textContent = `${formatTime(line.at)} ${line.level} ${line.message}`;
      const next = [...list.children].find((other) => Number(other.dataset.id) > line.id);
      list.insertBefore(li, next ?? null);
    }
  }
}
