// The queue panel: depth, capacity and dispatcher replicas from GET /api/v1/queue, refreshed on a
// timer and soon after any job changes status.

import { formatAge } from './format.js';

const POLL_MS = 5000;
const SOON_MS = 400;

export class QueuePanel {
  constructor(root, load) {
    this.root = root;
    this.load = load;
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
    try {
      this.render(await this.load());
      this.root.classList.remove('stale');
    } catch {
      this.root.classList.add('stale');
    } finally {
      this.timer = setTimeout(() => this.refresh(), POLL_MS);
    }
  }

  render(q) {
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
      : q.replicas > 0 ? 'Dispatchers are draining' : 'No dispatcher is running: jobs wait in the queue';
    this.root.classList.toggle('no-dispatcher', q.capacity === 0);
  }
}
