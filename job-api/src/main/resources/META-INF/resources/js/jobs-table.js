// The jobs table: one <tr> per job, created once and updated in place so progress bars animate.
// A checkbox per row selects jobs for a bulk action; the selection survives live updates and
// reloads, and is kept only for jobs still shown.

import { formatDuration, formatTime, jobDuration, statusLabel, TERMINAL } from './format.js';

const COLUMNS = ['', 'ID', 'Name', 'User', 'Status', 'Progress', 'Started', 'Finished', 'Duration', ''];

export class JobsTable {
  /**
   * @param {HTMLTableSectionElement} tbody
   * @param {{onCancel: (job) => void, onRetry: (job) => void, onDetails: (job) => void,
   *          onSelection?: (ids: number[]) => void}} actions
   */
  constructor(tbody, actions) {
    this.tbody = tbody;
    this.actions = actions;
    this.rows = new Map(); // id -> {tr, cells, job}
    this.selected = new Set();
    tbody.addEventListener('change', (event) => {
      const box = event.target.closest('input[data-select]');
      if (!box) return;
      const id = Number(box.closest('tr').dataset.id);
      if (box.checked) this.selected.add(id);
      else this.selected.delete(id);
      this.selectionChanged();
    });
    tbody.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      const row = this.rows.get(Number(button.closest('tr').dataset.id));
      const handler = { cancel: 'onCancel', retry: 'onRetry', details: 'onDetails' }[button.dataset.action];
      if (row && handler) this.actions[handler](row.job, button);
    });
  }

  /** The ids of the selected jobs, newest first. */
  get selection() {
    return [...this.selected].sort((a, b) => b - a);
  }

  /** Selects every shown job ({@code on}) or none. */
  selectAll(on) {
    this.selected = new Set(on ? this.rows.keys() : []);
    for (const [id, row] of this.rows) row.cells.select.firstChild.checked = this.selected.has(id);
    this.selectionChanged();
  }

  selectionChanged() {
    this.actions.onSelection?.(this.selection);
  }

  /** Shows exactly {@code jobs}, in this order; {@code animateNew} highlights rows that were not there. */
  sync(jobs, animateNew) {
    const wanted = new Set(jobs.map((j) => j.id));
    for (const [id, row] of this.rows) {
      if (!wanted.has(id)) this.removeRow(id, row);
    }
    const before = this.selected.size;
    for (const id of this.selected) if (!wanted.has(id)) this.selected.delete(id);
    if (this.selected.size !== before) this.selectionChanged();
    let previous = null;
    for (const job of jobs) {
      let row = this.rows.get(job.id);
      if (!row) {
        row = this.createRow(job);
        this.rows.set(job.id, row);
        if (animateNew) row.tr.classList.add('row-new');
      }
      this.fill(row, job);
      const expectedNext = previous ? previous.nextElementSibling : this.tbody.firstElementChild;
      if (expectedNext !== row.tr) this.tbody.insertBefore(row.tr, expectedNext);
      previous = row.tr;
    }
  }

  /** Redraws one job's row if it is shown. */
  update(job) {
    const row = this.rows.get(job.id);
    if (row) this.fill(row, job);
  }

  /** Re-renders the durations of running jobs (once a second). */
  tick(now = Date.now()) {
    for (const row of this.rows.values()) {
      if (row.job.status === 'RUNNING') setText(row.cells.duration, formatDuration(jobDuration(row.job, now)));
    }
  }

  get size() {
    return this.rows.size;
  }

  createRow(job) {
    const tr = document.createElement('tr');
    tr.dataset.id = job.id;
    const cells = {};
    const names = ['select', 'id', 'name', 'owner', 'status', 'progress', 'started', 'finished', 'duration', 'actions'];
    names.forEach((name, i) => {
      const td = document.createElement(name === 'id' ? 'th' : 'td');
      if (name === 'id') {
        td.scope = 'row';
        td.tabIndex = -1;
      }
      td.className = `col-${name}`;
      if (COLUMNS[i]) td.dataset.label = COLUMNS[i];
      tr.append(td);
      cells[name] = td;
    });
    cells.select.innerHTML = '<input type="checkbox" data-select>';
    cells.name.innerHTML = '<span class="job-name"></span><span class="job-sub"></span>';
    cells.status.innerHTML = '<span class="badge"></span><span class="job-sub"></span>';
    cells.progress.innerHTML = `
      <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100">
        <div class="progress-fill"></div>
      </div>
      <span class="pct" aria-hidden="true"></span>`;
    cells.started.innerHTML = '<time></time>';
    cells.finished.innerHTML = '<time></time>';
    cells.actions.innerHTML = `
      <button type="button" class="btn btn-small btn-danger" data-action="cancel">Cancel</button>
      <button type="button" class="btn btn-small" data-action="retry">Retry</button>
      <button type="button" class="btn btn-small" data-action="details">Details</button>`;
    return { tr, cells, job };
  }

  fill(row, job) {
    row.job = job;
    const { tr, cells } = row;
    const label = `job ${job.id} ${job.name}`;
    const cancelling = job.cancelRequested && !TERMINAL.has(job.status);
    tr.dataset.status = job.status;
    setText(cells.id, String(job.id));
    const box = cells.select.firstChild;
    box.setAttribute('aria-label', `Select ${label}`);
    box.checked = this.selected.has(job.id);
    setText(cells.name.firstChild, job.name);
    cells.name.firstChild.title = `${job.type}${job.params && Object.keys(job.params).length ? ' ' + JSON.stringify(job.params) : ''}`;
    setText(cells.name.lastChild, job.status === 'FAILED' && job.error ? job.error : job.type);
    cells.name.lastChild.classList.toggle('error-text', job.status === 'FAILED' && !!job.error);
    setText(cells.owner, job.owner);

    const badge = cells.status.firstChild;
    badge.className = `badge status-${job.status.toLowerCase()}${cancelling ? ' status-cancelling' : ''}`;
    setText(badge, cancelling ? 'Cancelling…' : statusLabel(job.status));
    setText(cells.status.lastChild, attemptText(job));

    const pct = job.progressPct ?? 0;
    const bar = cells.progress.querySelector('.progress');
    bar.setAttribute('aria-valuenow', String(pct));
    bar.setAttribute('aria-valuetext', `${pct} %, ${statusLabel(job.status).toLowerCase()}` +
      (job.progressMessage ? `: ${job.progressMessage}` : ''));
    bar.setAttribute('aria-label', `Progress of ${label}`);
    bar.dataset.status = job.status;
    bar.firstElementChild.style.width = `${pct}%`;
    setText(cells.progress.querySelector('.pct'), `${pct} %`);
    cells.progress.title = job.progressMessage || '';

    setTime(cells.started.firstChild, job.startedAt);
    setTime(cells.finished.firstChild, job.finishedAt);
    setText(cells.duration, formatDuration(jobDuration(job)));

    const [cancel, retry, details] = cells.actions.querySelectorAll('button');
    details.setAttribute('aria-label', `Details of ${label}`);
    const focused = cells.actions.contains(document.activeElement) ? document.activeElement : null;
    cancel.hidden = !(job.status === 'QUEUED' || job.status === 'RUNNING') || job.cancelRequested;
    retry.hidden = !(job.status === 'FAILED' || job.status === 'CANCELLED');
    cancel.setAttribute('aria-label', `Cancel ${label}`);
    retry.setAttribute('aria-label', `Retry ${label}`);
    if (focused && focused.hidden) (retry.hidden ? tr.querySelector('.col-id') : retry).focus({ preventScroll: true });
  }

  removeRow(id, row) {
    this.rows.delete(id);
    const { tr } = row;
    if (tr.contains(document.activeElement)) document.getElementById('jobs-heading')?.focus({ preventScroll: true });
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      tr.remove();
      return;
    }
    tr.classList.add('row-exit');
    tr.addEventListener('animationend', () => tr.remove(), { once: true });
    setTimeout(() => tr.remove(), 600);
  }
}

function attemptText(job) {
  if (job.status === 'QUEUED' && job.attempts > 0) {
    const at = job.runAt && Date.parse(job.runAt) > Date.now() ? ` at ${formatTime(job.runAt)}` : '';
    return `retry ${job.attempts + 1} of ${job.maxAttempts}${at}`;
  }
  if (job.status === 'QUEUED' && job.runAt && Date.parse(job.runAt) > Date.now()) return `from ${formatTime(job.runAt)}`;
  if (job.attempts > 1) return `attempt ${job.attempts} of ${job.maxAttempts}`;
  return '';
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setTime(el, iso) {
  setText(el, formatTime(iso));
  if (iso) {
    el.dateTime = iso;
    el.title = new Date(iso).toLocaleString();
  } else {
    el.removeAttribute('datetime');
    el.removeAttribute('title');
  }
}
