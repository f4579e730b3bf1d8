// The named queues (cap, running, waiting, pause and resume) and the schedules (next five fire
// times, last result, enable/disable, run now), refreshed on a timer and soon after a job changes.

import { formatAge, formatTime } from './format.js';

const POLL_MS = 5000;
const SOON_MS = 400;

/** A cell, as <th scope=row> for the first column. */
function cell(tag, content) {
  const c = document.createElement(tag);
  if (tag === 'th') c.scope = 'row';
  if (content instanceof Node) c.append(content);
  else c.textContent = content;
  return c;
}

function button(label, accessibleName, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'btn btn-small';
  b.textContent = label;
  b.setAttribute('aria-label', accessibleName);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await onClick();
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

export class QueuesAndSchedules {
  /**
   * @param {{queues: HTMLElement, schedules: HTMLElement}} roots
   * @param {object} api the job-api client (queues, pauseQueue, resumeQueue, schedules, putSchedule, runSchedule)
   * @param {(text: string, kind: string) => void} notify
   */
  constructor(roots, api, notify) {
    this.roots = roots;
    this.api = api;
    this.notify = notify;
    this.timer = null;
    this.soon = null;
  }

  start() {
    this.refresh();
  }

  poke() {
    if (!this.soon) this.soon = setTimeout(() => this.refresh(), SOON_MS);
  }

  async refresh() {
    clearTimeout(this.timer);
    clearTimeout(this.soon);
    this.soon = null;
    const [queues, schedules] = await Promise.allSettled([this.api.queues(), this.api.schedules()]);
    if (queues.status === 'fulfilled') this.renderQueues(queues.value);
    if (schedules.status === 'fulfilled') this.renderSchedules(schedules.value);
    this.timer = setTimeout(() => this.refresh(), POLL_MS);
  }

  async act(what, call, done) {
    try {
      await call();
      this.notify(done, 'ok');
    } catch (e) {
      this.notify(`Could not ${what}: ${e.message}`, 'error');
    }
    this.refresh();
  }

  renderQueues(queues) {
    const root = this.roots.queues;
    root.querySelector('#queue-count').textContent = `(${queues.length})`;
    root.querySelector('#queues-body').replaceChildren(...queues.map((q) => {
      const tr = document.createElement('tr');
      tr.dataset.queue = q.name;
      tr.className = q.paused ? 'paused' : '';
      const full = q.cap != null && q.running >= q.cap;
      const action = q.paused
        ? button('Resume', `Resume queue ${q.name}`, () =>
          this.act(`resume ${q.name}`, () => this.api.resumeQueue(q.name), `Queue ${q.name} resumed`))
        : button('Pause', `Pause queue ${q.name}`, () =>
          this.act(`pause ${q.name}`, () => this.api.pauseQueue(q.name), `Queue ${q.name} paused: nothing new starts`));
      const running = cell('td', q.cap == null ? `${q.running} (no cap)` : `${q.running} / ${q.cap}`);
      if (full) running.classList.add('at-cap');
      tr.append(cell('th', q.name), running, cell('td', q.ready), cell('td', q.delayed),
        cell('td', q.ready > 0 ? formatAge(q.oldestReadyAgeSeconds) : '–'),
        cell('td', q.paused ? 'Paused' : 'Running'), cell('td', action));
      return tr;
    }));
  }

  renderSchedules(schedules) {
    const root = this.roots.schedules;
    root.querySelector('#schedules-empty').hidden = schedules.length > 0;
    root.querySelector('table').hidden = schedules.length === 0;
    root.querySelector('#schedules-body').replaceChildren(...schedules.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.schedule = s.name;
      tr.className = s.enabled ? '' : 'paused';
      const when = document.createElement('span');
      when.textContent = `${s.cron ?? s.calendar} · ${s.timeZone}`;
      const next = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = s.nextFireAt && s.enabled ? formatTime(s.nextFireAt) : '–';
      const list = document.createElement('ol');
      list.className = 'upcoming';
      list.setAttribute('aria-label', `Next fire times of ${s.name}`);
      list.append(...(s.upcoming || []).map((t) => {
        const li = document.createElement('li');
        li.textContent = new Date(t).toLocaleString();
        return li;
      }));
      next.append(summary, list);
      const result = s.lastError ? `Error: ${s.lastError}`
        : s.lastJobId ? `Job ${s.lastJobId} · ${(s.lastJobStatus || '').toLowerCase()}` : '–';
      const toggle = s.enabled
        ? button('Disable', `Disable schedule ${s.name}`, () => this.act(`disable ${s.name}`,
          () => this.api.putSchedule(s.name, definition(s, false)), `Schedule ${s.name} disabled`))
        : button('Enable', `Enable schedule ${s.name}`, () => this.act(`enable ${s.name}`,
          () => this.api.putSchedule(s.name, definition(s, true)), `Schedule ${s.name} enabled`));
      const run = button('Run now', `Run schedule ${s.name} now`, async () => {
        try {
          const job = await this.api.runSchedule(s.name);
          this.notify(`Schedule ${s.name} started job ${job.id}`, 'ok');
        } catch (e) {
          this.notify(`Could not run ${s.name}: ${e.message}`, 'error');
        }
        this.refresh();
      });
      const actions = document.createElement('span');
      actions.className = 'actions';
      actions.append(toggle, run);
      tr.append(cell('th', s.name), cell('td', when), cell('td', next),
        cell('td', s.lastFireAt ? formatTime(s.lastFireAt) : '–'), cell('td', result),
        cell('td', s.enabled ? 'Enabled' : 'Disabled'), cell('td', actions));
      return tr;
    }));
  }
}

/** The schedule's definition as PUT takes it, with enabled set. */
function definition(s, enabled) {
  return {
    queue: s.queue, type: s.type, params: s.params, owner: s.owner, cron: s.cron, calendar: s.calendar,
    timeZone: s.timeZone, overlap: s.overlap, misfire: s.misfire, enabled,
  };
}
