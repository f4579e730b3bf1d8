// The queue panel: depth and capacity (GET /api/v1/queue) and the dispatcher replicas with their
// last cycle (GET /api/v1/dispatchers), refreshed on a timer and soon after any job changes status.

import { formatAge, formatDuration, formatTime } from './format.js';

const POLL_MS = 5000;
const SOON_MS = 400;

export class QueuePanel {
  /** @param {{queue: () => Promise<object>, dispatchers: () => Promise<object[]>}} sources */
  constructor(root, sources) {
    this.root = root;
    this.sources = sources;
    this.timer = null;
    this.soon = null;
  }

  start() {
    this.refresh();
  }

  /** Refreshes shortly (coalescing bursts of status changes into one read). */
  poke() {
    if (!this.soon) this.soon = setTimeout(() => this.refresh(), SOON_MS);
  }

  async refresh() {
    clearTimeout(this.timer);
    clearTimeout(this.soon);
    this.soon = null;
    const [queue, replicas] = await Promise.allSettled([this.sources.queue(), this.sources.dispatchers()]);
    if (queue.status === 'fulfilled') this.renderQueue(queue.value);
    if (replicas.status === 'fulfilled') this.renderReplicas(replicas.value);
    this.root.classList.toggle('stale', queue.status === 'rejected');
    this.timer = setTimeout(() => this.refresh(), POLL_MS);
  }

  renderQueue(q) {
    const stats = this.root.querySelector('#queue-stats');
    const set = (name, value) => {
      const dd = stats.querySelector(`[data-stat="${name}"]`);
      if (dd.textContent !== String(value)) dd.textContent = value;
    };
    set('ready', q.ready);
    set('delayed', q.delayed);
    set('running', q.running);
    set('capacity', q.capacity);
    set('replicas', q.replicas);
    set('oldest', q.ready > 0 ? formatAge(q.oldestReadyAgeSeconds) : '–');
    stats.removeAttribute('aria-busy');

    const used = q.capacity > 0 ? Math.min(1, q.running / q.capacity) : 0;
    const meter = this.root.querySelector('#utilisation-bar');
    meter.setAttribute('aria-valuenow', used.toFixed(2));
    meter.setAttribute('aria-valuetext', `${q.running} of ${q.capacity} slots in use`);
    meter.querySelector('.meter-fill').style.width = `${used * 100}%`;
    meter.classList.toggle('full', q.capacity > 0 && q.running >= q.capacity);
    this.root.querySelector('#utilisation-text').textContent = q.capacity > 0
      ? `${q.running} of ${q.capacity} slots in use`
      : q.replicas > 0 ? 'Every dispatcher is draining' : 'No dispatcher is running: jobs wait in the queue';
    this.root.classList.toggle('no-dispatcher', q.capacity === 0);
  }

  renderReplicas(replicas) {
    const body = this.root.querySelector('#replica-body');
    const alive = replicas.filter((r) => r.alive).length;
    this.root.querySelector('#replica-count').textContent =
      replicas.length ? `(${alive} alive${replicas.length > alive ? `, ${replicas.length - alive} not seen lately` : ''})` : '';
    this.root.querySelector('#replica-empty').hidden = replicas.length > 0;
    body.parentElement.hidden = replicas.length === 0;
    body.replaceChildren(...replicas.map((r) => {
      const tr = document.createElement('tr');
      tr.className = r.alive ? (r.draining ? 'draining' : '') : 'gone';
      const c = r.lastCycle;
      const state = !r.alive ? ' (not seen lately)' : r.draining ? ' (draining)' : '';
      const cells = [
        r.replicaId + state, r.slots, formatTime(r.lastSeenAt),
        c ? `${formatTime(c.endedAt)} · ${formatDuration(Date.parse(c.endedAt) - Date.parse(c.startedAt))}` : '–',
        c ? c.claimed : '–', c ? c.completed : '–', c ? c.failed : '–', c ? c.jobsPerSecond.toFixed(2) : '–',
      ];
      cells.forEach((value, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.scope = 'row';
        cell.textContent = value;
        tr.append(cell);
      });
      return tr;
    }));
  }
}
