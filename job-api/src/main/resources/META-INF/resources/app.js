// The job-monitor page: wires the jobs table, the start dialog, the queue panel and the live feed.
//
// No race between the table and the live feed: the page joins its live room first ("jobs" for an
// operator or admin, "user:{name}" for a viewer, who sees only their own jobs), and
// every REST read of the table buffers the messages that arrive meanwhile and applies them after
// the read, where a message received after the read was sent wins over the read (see jobs-model.js).
// The live feed is the Jobflow browser client (/client/jobflow.js), the same one other pages use.

import { connect } from './client/jobflow.js';
import { api } from './js/api.js';
import { JobsModel } from './js/jobs-model.js';
import { JobsTable } from './js/jobs-table.js';
import { StartDialog } from './js/start-dialog.js';
import { QueuePanel } from './js/queue-panel.js';
import { QueuesAndSchedules } from './js/queues-schedules.js';
import { JobDetail } from './js/job-detail.js';
import { toast } from './js/toast.js';

const PAGE_SIZE = 20;
const FALLBACK_POLL_MS = 5000;
const OFFLINE_AFTER_FAILURES = 5;
const $ = (id) => document.getElementById(id);

const model = new JobsModel(PAGE_SIZE);
const queue = new QueuePanel(document.querySelector('.queue'), { queue: api.queue, dispatchers: api.dispatchers });
const named = new QueuesAndSchedules({ queues: document.querySelector('#named-queues'),
  schedules: document.querySelector('.schedules') }, api, toast);
let hub = null;           // the hub connection (connect() of /client/jobflow.js), made in main()
const detail = new JobDetail($('job-detail'), api, {
  subscribe: (room, handler) => hub.subscribe(room, handler),
  joined: (room, timeoutMs) => hub.joined(room, timeoutMs),
});
const table = new JobsTable($('jobs-body'), { onCancel: cancelJob, onRetry: retryJob,
  onDetails: (job) => detail.open(job), onSelection: showSelection });
const dialog = new StartDialog($('start-dialog'), submitJob);

let loading = null;      // the REST read in flight, if any
let buffered = [];       // live messages that arrived while it was in flight
let generation = 0;      // ignores the result of a superseded read
let liveState = 'connecting';
let fallbackTimer = null;
const refreshing = new Map(); // job id -> read again when back

// ---- table loading ----------------------------------------------------------------------------

async function reload({ focusTable = false } = {}) {
  const mine = ++generation;
  const seqAtRequest = model.seq;
  loading = true;
  $('jobs-table').setAttribute('aria-busy', 'true');
  try {
    const page = await api.listJobs(model.query());
    if (mine !== generation) return;
    model.replace(page, seqAtRequest);
    render(false);
  } catch (e) {
    if (mine === generation) toast(`Could not load the jobs: ${e.message}`, 'error');
  } finally {
    if (mine === generation) {
      loading = false;
      $('jobs-table').removeAttribute('aria-busy');
      const pending = buffered;
      buffered = [];
      pending.forEach(handle);
      if (focusTable) $('jobs-heading').focus();
    }
  }
}

function render(animateNew = true) {
  const jobs = model.ordered();
  table.sync(jobs, animateNew);
  $('jobs-empty').hidden = jobs.length > 0;
  $('jobs-table').classList.toggle('is-empty', jobs.length === 0);
  const filter = model.status ? ` ${model.status.toLowerCase()}` : '';
  const found = model.search ? ` matching “${model.search}”` : '';
  $('jobs-summary').textContent = jobs.length === 0
    ? `No${filter} jobs${found}${model.onFirstPage ? '' : ' on this page'}`
    : `Page ${model.pageNumber} · jobs ${jobs[jobs.length - 1].id}–${jobs[0].id}${filter ? ` ·${filter}` : ''}${found}`;
  $('select-all').checked = jobs.length > 0 && table.selected.size === jobs.length;
  $('page-newest').disabled = model.onFirstPage;
  $('page-newer').disabled = model.onFirstPage;
  $('page-older').disabled = model.nextBeforeId == null;
  const newer = model.newerIds.size;
  $('newer-banner').hidden = newer === 0;
  $('newer-banner').textContent = `${newer} newer job${newer === 1 ? '' : 's'} · show the newest`;
}

// ---- live messages ------------------------------------------------------------------------------

function onLiveMessage(message) {
  if (loading) buffered.push(message);
  else handle(message);
}

function handle(message) {
  const result = model.message(message);
  switch (result.action) {
    case 'update':
      table.update(model.jobs.get(result.id));
      break;
    case 'refresh':
      table.update(model.jobs.get(result.id));
      refreshJob(result.id);
      queue.poke();
      named.poke();
      break;
    case 'leave':
      render();
      queue.poke();
      named.poke();
      break;
    case 'fetch':
      fetchNew(result.id, result.seq);
      queue.poke();
      named.poke();
      break;
    case 'newer':
      render();
      queue.poke();
      named.poke();
      break;
    default:
  }
}

/** Re-reads a shown job for the fields messages do not carry (started, finished, error, attempts). */
async function refreshJob(id) {
  if (refreshing.has(id)) {
    refreshing.set(id, true); // read again when the one in flight is back: it may predate this change
    return;
  }
  refreshing.set(id, false);
  const seqAtRequest = model.seq;
  try {
    const job = await api.job(id);
    if (model.merge(job, seqAtRequest) && model.jobs.has(id)) table.update(model.jobs.get(id));
  } catch {
    // the next message or reload brings it
  } finally {
    const again = refreshing.get(id);
    refreshing.delete(id);
    if (again) refreshJob(id);
  }
}

async function fetchNew(id, seqAtRequest) {
  try {
    const job = await api.job(id);
    if (model.merge(job, seqAtRequest)) render();
  } catch {
    model.drop(id);
  }
}

function onLiveState(state) {
  const previous = liveState;
  liveState = state;
  const el = $('live-status');
  el.dataset.state = state;
  const [text, detail] = {
    connecting: ['Connecting…', ''],
    live: ['Live', ''],
    reconnecting: ['Reconnecting…', ' · live updates paused'],
    offline: ['Offline', ' · live updates unavailable, refreshing every 5 s'],
  }[state] || [state, ''];
  el.querySelector('.live-text').textContent = text;
  el.querySelector('.live-detail').textContent = detail;
  if (state === 'live' && previous !== 'live' && previous !== 'connecting') {
    toast('Live updates are back', 'ok');
  }
  // While the live feed is down, the table is refreshed over REST so it never goes stale silently.
  clearInterval(fallbackTimer);
  if (state !== 'live' && state !== 'connecting') {
    fallbackTimer = setInterval(() => {
      if (!loading) reload();
    }, FALLBACK_POLL_MS);
  }
}

// ---- actions -------------------------------------------------------------------------------------

async function submitJob(job, key) {
  const created = await api.submit(job, key);
  toast(`Started job ${created.id} “${created.name}”`, 'ok');
  showCreated(created);
  return created;
}

/** Shows a job this page created right away, without waiting for its first live message. */
function showCreated(job) {
  if (model.jobs.has(job.id) || model.pending.has(job.id)) {
    // its live message came first; the row is there or on its way
  } else if (model.onFirstPage && model.matches(job.status)) {
    model.pending.set(job.id, { job_id: job.id, status: job.status, pct: job.progressPct, _seq: 0 });
    if (model.merge(job, model.seq)) render();
  } else if (!model.onFirstPage) {
    model.newerIds.add(job.id);
    render();
  }
  queue.poke();
}

async function cancelJob(job, button) {
  button.disabled = true;
  const seqAtRequest = model.seq;
  try {
    const updated = await api.cancel(job.id);
    if (model.merge(updated, seqAtRequest)) table.update(model.jobs.get(job.id));
    toast(updated.status === 'CANCELLED' ? `Job ${job.id} cancelled` : `Job ${job.id} is being cancelled`, 'ok');
  } catch (e) {
    if (e.status === 409) {
      // it ended just before the click: show how it ended, not an error
      const ended = e.problem.jobStatus ? e.problem.jobStatus.toLowerCase() : 'finished';
      toast(`Job ${job.id} had already ${ended === 'finished' ? 'finished' : `ended: ${ended}`}`, 'info');
      try {
        const latest = await api.job(job.id);
        if (model.merge(latest, seqAtRequest)) table.update(model.jobs.get(job.id));
      } catch {
        // the live feed brings it anyway
      }
    } else {
      toast(`Could not cancel job ${job.id}: ${e.message}`, 'error');
    }
  } finally {
    button.disabled = false;
  }
  queue.poke();
}

/** Retry in place: the same job, same id, queued again (its attempts counted on, its runs kept). */
async function retryJob(job, button) {
  button.disabled = true;
  try {
    const again = await api.retry(job.id);
    toast(`Job ${job.id} is queued again (attempt ${again.attempts + 1} of ${again.maxAttempts})`, 'ok');
    refreshJob(job.id);
  } catch (e) {
    toast(`Could not retry job ${job.id}: ${e.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- selection and bulk actions ---------------------------------------------------------------------

const BULK = {
  retry: { verb: 'Retry', done: 'queued again', which: 'failed or cancelled' },
  cancel: { verb: 'Cancel', done: 'cancelled', which: 'queued or running' },
  delete: { verb: 'Delete', done: 'deleted', which: 'finished' },
};

function showSelection(ids) {
  $('bulk-bar').hidden = ids.length === 0;
  $('bulk-count').textContent = `${ids.length} selected`;
  $('select-all').checked = ids.length > 0 && ids.length === table.size;
}

/**
 * One audited bulk action on the selected jobs (filter.ids): a dry run counts the jobs it applies to,
 * the confirmation states that count, and only then is it done.
 */
async function bulkAction(action) {
  const ids = table.selection;
  if (ids.length === 0) return;
  const { verb, done, which } = BULK[action];
  let count;
  try {
    count = (await api.bulk(action, { ids }, true)).count;
  } catch (e) {
    toast(`Could not count the jobs: ${e.message}`, 'error');
    return;
  }
  if (count === 0) {
    toast(`None of the ${ids.length} selected jobs is ${which}: nothing to ${verb.toLowerCase()}`, 'info');
    return;
  }
  const confirm = $('bulk-confirm');
  $('bulk-title').textContent = `${verb} ${count} job${count === 1 ? '' : 's'}?`;
  $('bulk-text').textContent = `${verb} ${count} of the ${ids.length} selected job${ids.length === 1 ? '' : 's'}`
    + (count < ids.length ? ` (only ${which} jobs can be)` : '') + '.';
  $('bulk-go').textContent = `${verb} ${count} job${count === 1 ? '' : 's'}`;
  $('bulk-go').classList.toggle('btn-danger', action === 'delete');
  confirm.returnValue = '';
  confirm.showModal();
  const answer = await new Promise((resolve) => confirm.addEventListener('close', () => resolve(confirm.returnValue),
    { once: true }));
  if (answer !== 'go') return;
  try {
    const result = await api.bulk(action, { ids }, false);
    toast(`${result.count} job${result.count === 1 ? '' : 's'} ${done}`, 'ok');
    table.selectAll(false);
  } catch (e) {
    toast(`Could not ${verb.toLowerCase()} the jobs: ${e.message}`, 'error');
  }
  queue.poke();
  reload();
}

// ---- wiring --------------------------------------------------------------------------------------

$('bulk-bar').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-bulk]');
  if (!button) return;
  if (button.dataset.bulk === 'clear') table.selectAll(false);
  else bulkAction(button.dataset.bulk);
});
$('select-all').addEventListener('change', (event) => table.selectAll(event.target.checked));
let searchTimer = null;
$('search-form').addEventListener('submit', (event) => event.preventDefault());
$('job-search').addEventListener('input', (event) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    if (event.target.value.trim() === model.search) return;
    model.setSearch(event.target.value);
    reload();
  }, 250);
});

$('start-job').addEventListener('click', (event) => dialog.open(event.currentTarget));
document.querySelectorAll('input[name=status]').forEach((radio) => radio.addEventListener('change', () => {
  model.setFilter(radio.value);
  history.replaceState(null, '', radio.value === 'FAILED' ? '#failed' : location.pathname + location.search);
  reload();
}));
/** The failed-jobs view (#failed): the Failed filter, each row's error under its name, Retry for the selection. */
function showFailedView() {
  if (location.hash !== '#failed') return;
  document.querySelector('input[name=status][value=FAILED]').checked = true;
  model.setFilter('FAILED');
}
window.addEventListener('hashchange', () => {
  showFailedView();
  reload();
});
$('page-older').addEventListener('click', () => model.older() && reload({ focusTable: true }));
$('page-newer').addEventListener('click', () => model.newer() && reload({ focusTable: true }));
$('page-newest').addEventListener('click', () => {
  model.first();
  reload({ focusTable: true });
});
$('newer-banner').addEventListener('click', () => {
  model.first();
  reload({ focusTable: true });
});
setInterval(() => table.tick(), 1000);

/**
 * Shows who job-api takes this browser for, and answers it (null without an identity: job-api then
 * answers nothing, so the page shows nothing).
 */
async function showCaller() {
  try {
    const me = await api.me();
    $('caller').textContent = me.via === 'anonymous' ? `Local mode: acting as ${me.user}`
      : `Signed in as ${me.user} (${me.role}${me.queues ? ` of ${me.queues.join(', ')}` : ''})`;
    dialog.setCaller(me);
    return me;
  } catch (e) {
    $('caller').textContent = e.status === 401 ? 'Not signed in: sign in to see jobs' : '';
    dialog.setCaller(null);
    return null;
  }
}

/**
 * The hub room carrying the jobs this caller follows live: all jobs, or their own (a viewer, and an
 * operator limited to queues: no room carries just its queues' jobs; the table still lists them).
 */
function liveRoom(me) {
  return me && (me.role === 'viewer' || me.queues) ? `user:${me.user}` : 'jobs';
}

async function main() {
  queue.start();
  named.start();
  const me = await showCaller();
  const config = await api.config().catch(() => ({ hubUrl: 'http://localhost:8082' }));
  showFailedView();
  // Join the room first, then read the table: messages that arrive during the read are buffered.
  loading = true;
  const room = liveRoom(me);
  hub = connect({
    url: config.hubUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/ws',
    getToken: async () => (await api.token()).token,
    onGap: (r) => (r === room ? reload() : detail.resync(r)),
    onError: (e) => console.warn('progress-hub:', e.code ?? '', e.message ?? e),
  });
  hub.onState((state, { failures }) => onLiveState(state === 'open' ? 'live'
    : state === 'connecting' && liveState === 'connecting' ? 'connecting'
      : failures > OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting'));
  hub.subscribe(room, onLiveMessage);
  await hub.joined(room);
  await reload();
  document.body.dataset.ready = 'true';
}

main();
