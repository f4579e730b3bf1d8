// The jobs on screen and how live messages and REST reads merge into them.
//
// Ordering rule: live messages arrive in offset order and always describe committed state, so a
// message received after a REST read was *sent* may be newer than that read. Every message bumps a
// sequence number; a REST result for a job that got a message after the request went out keeps
// the message's status/progress and takes only the other fields (started, finished, error...).

export class JobsModel {
  constructor(limit) {
    this.limit = limit;
    this.status = '';          // status filter, '' = all
    this.search = '';          // the search box (q): name, type, params or error contain it; '' = all
    this.before = null;        // keyset cursor of this page; null = newest page
    this.history = [];         // cursors of the pages before this one
    this.nextBeforeId = null;  // cursor of the next (older) page; null = last page
    this.jobs = new Map();     // id -> job (+ _seq: sequence of the last live message applied)
    this.seq = 0;
    this.pending = new Map();  // id -> last message, for jobs being fetched to be inserted
    this.newerIds = new Set(); // jobs newer than this page (shown as a banner on older pages)
  }

  get onFirstPage() {
    return this.before == null;
  }

  matches(status) {
    return !this.status || this.status === status;
  }

  /** Jobs in display order, newest first. */
  ordered() {
    return [...this.jobs.values()].sort((a, b) => b.id - a.id);
  }

  minId() {
    let min = Infinity;
    for (const id of this.jobs.keys()) min = Math.min(min, id);
    return min;
  }

  maxId() {
    let max = 0;
    for (const id of this.jobs.keys()) max = Math.max(max, id);
    return max;
  }

  /** Replaces the page with a REST page read that was sent at sequence {@code seqAtRequest}. */
  replace(page, seqAtRequest) {
    const previous = this.jobs;
    this.jobs = new Map();
    for (const job of page.items) {
      const current = previous.get(job.id);
      this.jobs.set(job.id, current && current._seq > seqAtRequest ? keepLive(job, current) : { ...job, _seq: 0 });
    }
    this.nextBeforeId = page.nextBeforeId ?? null;
    this.newerIds.clear();
  }

  /**
   * Applies one live message {job_id, pct, status, message?}. Returns what the caller should do:
   * 'update' (redraw the row), 'refresh' (status changed: re-read the job for its other fields),
   * 'leave' (no longer matches the filter), 'fetch' (a job that belongs on this page: read and insert),
   * 'newer' (a newer job while an older page is shown) or 'none'.
   */
  message(m) {
    const id = Number(m.job_id);
    if (!Number.isFinite(id)) return { action: 'none' };
    const seq = ++this.seq;
    const job = this.jobs.get(id);
    if (job) {
      const statusChanged = job.status !== m.status;
      job.status = m.status;
      job.progressPct = clampPct(m.pct);
      job.progressMessage = m.message ?? null;
      job._seq = seq;
      if (statusChanged && !this.matches(m.status)) {
        this.jobs.delete(id);
        return { action: 'leave', id };
      }
      return { action: statusChanged ? 'refresh' : 'update', id, seq };
    }
    if (this.pending.has(id)) {
      this.pending.set(id, { ...m, _seq: seq });
      return { action: 'none' };
    }
    if (!this.matches(m.status)) return { action: 'none' };
    if (this.onFirstPage) {
      if (this.jobs.size < this.limit || id > this.minId()) {
        this.pending.set(id, { ...m, _seq: seq });
        return { action: 'fetch', id, seq };
      }
      return { action: 'none' };
    }
    if (id > this.maxId() && !this.newerIds.has(id)) {
      this.newerIds.add(id);
      return { action: 'newer', id };
    }
    return { action: 'none' };
  }

  /**
   * Merges a job read over REST (request sent at {@code seqAtRequest}). Inserts it when it was
   * being fetched for insertion and still belongs here. Returns true when the page changed.
   */
  merge(job, seqAtRequest) {
    const current = this.jobs.get(job.id);
    if (current) {
      this.jobs.set(job.id, current._seq > seqAtRequest ? keepLive(job, current) : { ...job, _seq: current._seq });
      return true;
    }
    const live = this.pending.get(job.id);
    this.pending.delete(job.id);
    if (!live) return false;
    const merged = live._seq > seqAtRequest
      ? { ...job, status: live.status, progressPct: clampPct(live.pct), progressMessage: live.message ?? null, _seq: live._seq }
      : { ...job, _seq: 0 };
    if (!this.matches(merged.status) || !this.onFirstPage || !this.found(merged)) return false;
    if (this.jobs.size >= this.limit && merged.id < this.minId()) return false;
    this.jobs.set(merged.id, merged);
    this.trim();
    return true;
  }

  /** Forgets a job being fetched (the read failed). */
  drop(id) {
    this.pending.delete(id);
  }

  /** Keeps at most {@code limit} rows; the ones pushed out start the next page. */
  trim() {
    if (this.jobs.size <= this.limit) return;
    const keep = this.ordered().slice(0, this.limit);
    this.jobs = new Map(keep.map((j) => [j.id, j]));
    this.nextBeforeId = keep[keep.length - 1].id;
  }

  /**
   * Whether a job read for insertion contains the search text, as the server's search decides it
   * (close enough for a new job: the next reload asks the server).
   */
  found(job) {
    if (!this.search) return true;
    const text = [job.name, job.type, JSON.stringify(job.params ?? {}), job.error ?? ''].join('\u001f');
    return text.toLowerCase().includes(this.search.toLowerCase());
  }

  /** The query for the current page. */
  query() {
    return { status: this.status || undefined, q: this.search || undefined, before: this.before ?? undefined,
      limit: this.limit };
  }

  setFilter(status) {
    this.status = status;
    this.first();
  }

  setSearch(text) {
    this.search = text.trim();
    this.first();
  }

  first() {
    this.before = null;
    this.history = [];
  }

  older() {
    if (this.nextBeforeId == null) return false;
    this.history.push(this.before);
    this.before = this.nextBeforeId;
    return true;
  }

  newer() {
    if (this.onFirstPage) return false;
    this.before = this.history.pop() ?? null;
    return true;
  }

  /** The 1-based number of the current page. */
  get pageNumber() {
    return this.history.length + 1;
  }
}

function keepLive(job, current) {
  return {
    ...job, status: current.status, progressPct: current.progressPct, progressMessage: current.progressMessage,
    _seq: current._seq,
  };
}

function clampPct(pct) {
  const n = Number(pct);
  return Number.isFinite(n) ? Math.max(0, Math.min(100, Math.round(n))) : 0;
}
