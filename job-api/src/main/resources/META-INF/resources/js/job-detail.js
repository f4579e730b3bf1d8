// A job's detail: status, queue, attempts, result and error, its runs, and its log, which follows
// the job while the dialog is open (read on from the last line every second until the job ends).

import { formatTime, statusLabel, TERMINAL } from './format.js';

const FOLLOW_MS = 1000;

export class JobDetail {
  /** @param {HTMLDialogElement} dialog @param {object} api the job-api client (job, runs, logs) */
  constructor(dialog, api) {
    this.dialog = dialog;
    this.api = api;
    this.timer = null;
    this.jobId = null;
    dialog.addEventListener('close', () => {
      clearTimeout(this.timer);
      this.jobId = null;
    });
  }

  async open(job) {
    clearTimeout(this.timer);
    this.jobId = job.id;
    this.after = null;
    this.dialog.querySelector('#detail-title').textContent = `Job ${job.id} · ${job.name}`;
    this.dialog.querySelector('#detail-log').replaceChildren();
    this.dialog.querySelector('#detail-runs').replaceChildren();
    this.showJob(job);
    if (!this.dialog.open) this.dialog.showModal();
    await this.follow();
  }

  showJob(job) {
    const set = (name, value) => { this.dialog.querySelector(`[data-fact="${name}"]`).textContent = value; };
    set('status', statusLabel(job.status));
    set('queue', job.queue ?? 'default');
    set('attempts', `${job.attempts} of ${job.maxAttempts}`);
    set('result', job.result === null || job.result === undefined ? '–' : JSON.stringify(job.result));
    set('error', job.error || '–');
  }

  /** Reads the job, its runs and the log lines after the last one shown; again in a second while it runs. */
  async follow() {
    const id = this.jobId;
    if (id === null) return;
    try {
      const [job, runs, logs] = await Promise.all([this.api.job(id), this.api.runs(id), this.api.logs(id, this.after)]);
      if (id !== this.jobId) return; // closed or another job opened meanwhile
      this.showJob(job);
      this.showRuns(runs.items);
      this.appendLog(logs.items);
      if (logs.nextAfterId) {
        this.after = logs.nextAfterId;
      } else if (logs.items.length) {
        this.after = logs.items[logs.items.length - 1].id;
      }
      if (!TERMINAL.has(job.status) || logs.nextAfterId) {
        this.timer = setTimeout(() => this.follow(), FOLLOW_MS);
      }
    } catch (e) {
      if (id === this.jobId) this.timer = setTimeout(() => this.follow(), FOLLOW_MS * 3);
    }
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

  appendLog(lines) {
    const list = this.dialog.querySelector('#detail-log');
    list.append(...lines.map((line) => {
      const li = document.createElement('li');
      li.className = `log-${line.level.toLowerCase()}`;
      li.textContent = `${formatTime(line.at)} ${line.level} ${line.message}`;
      return li;
    }));
  }
}
