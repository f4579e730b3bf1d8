// The "Start job" dialog: a modal <dialog> (focus trapped by the browser, Esc closes it), labelled
// fields, errors announced and tied to their fields, focus back on the opener when it closes.

import { ApiError, api, newKey } from './api.js';

const OWNER_KEY = 'jobflow.owner';

export class StartDialog {
  /**
   * @param {HTMLDialogElement} dialog
   * @param {(job: object, key: string) => Promise<object>} submit sends the job; resolves with the created job
   */
  constructor(dialog, submit) {
    this.dialog = dialog;
    this.form = dialog.querySelector('form');
    this.submit = submit;
    this.opener = null;
    this.key = null;
    /** The caller when job-api decides who runs the job (proxy or local user); null: ask for an owner. */
    this.caller = null;
    this.form.addEventListener('submit', (event) => this.onSubmit(event));
    dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => this.opener?.focus());
    // A click on the backdrop (outside the form) closes the dialog, like Esc.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close('cancel');
    });
    this.form.addEventListener('input', (event) => {
      if (event.target.name) this.showError(event.target.name, null);
    });
    /** type -> declared parameters (null: not declared), from GET /api/v1/job-types. */
    this.types = new Map();
    this.form.elements.type.addEventListener('input', () => this.renderParams());
  }

  /** Reads the registered job types: the type list and the declared parameters of each. */
  async loadTypes() {
    try {
      const { items } = await api.jobTypes();
      this.types = new Map(items.map((t) => [t.type, t.params]));
    } catch {
      this.types = new Map(); // the dialog still works: a JSON field for the params
    }
    const list = this.dialog.querySelector('#job-types');
    list.replaceChildren(...[...this.types.keys()].map((type) => new Option('', type)));
    this.renderParams();
  }

  /** The fields of the chosen type's declared parameters, or one JSON field for an undeclared type. */
  renderParams() {
    const box = this.dialog.querySelector('#job-params-fields');
    const declared = this.types.get(this.form.elements.type.value.trim());
    const previous = Object.fromEntries([...box.querySelectorAll('input, textarea')].map((i) => [i.name, i.value]));
    box.replaceChildren();
    this.params = declared ?? null;
    if (declared && declared.length === 0) {
      box.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'This type takes no parameters.' }));
      return;
    }
    const fields = declared ?? [{ name: 'json', kind: 'json' }];
    for (const p of fields) box.append(paramField(p, previous));
  }

  /**
   * @param {{user: string, via: string} | null} caller from GET /api/v1/me; a person (proxy, local user)
   *   runs jobs as themselves, so the dialog says who instead of asking
   */
  setCaller(caller) {
    this.caller = caller && caller.via !== 'key' ? caller : null;
    const fixed = this.dialog.querySelector('#owner-fixed');
    this.dialog.querySelector('#owner-field').hidden = Boolean(this.caller);
    this.form.elements.owner.disabled = Boolean(this.caller);
    fixed.hidden = !this.caller;
    fixed.textContent = this.caller ? `Runs as ${this.caller.user}.` : '';
  }

  open(opener) {
    this.opener = opener;
    this.key = newKey('page');
    this.form.reset();
    if (!this.caller) this.form.elements.owner.value = localStorage.getItem(OWNER_KEY) || 'web';
    for (const name of ['name', 'type', 'owner']) this.showError(name, null);
    this.renderParams();
    this.formError(null);
    this.busy(false);
    this.dialog.showModal();
    this.form.elements.name.focus();
    this.loadTypes(); // fresh on every open: a deploy may have added types
  }

  async onSubmit(event) {
    event.preventDefault();
    const f = this.form.elements;
    const errors = {
      name: f.name.value.trim() ? null : 'Give the job a name.',
      type: f.type.validity.valid ? null : 'Use lower-case letters, digits and _ . : - only.',
      owner: this.caller || f.owner.validity.valid ? null : 'Letters, digits and _ . @ - only.',
    };
    if (!f.type.value.trim()) errors.type = 'Say which handler runs it.';
    else if (this.types.size > 0 && !this.types.has(f.type.value.trim())) {
      errors.type = `No dispatcher runs this type; registered: ${[...this.types.keys()].join(', ')}.`;
    }
    if (!this.caller && !f.owner.value.trim()) errors.owner = 'Say who the job is for.';
    const { params, errors: paramErrors } = this.readParams();
    Object.assign(errors, paramErrors);
    for (const [name, message] of Object.entries(errors)) this.showError(name, message);
    const firstBad = Object.keys(errors).find((name) => errors[name]);
    if (firstBad) {
      f[firstBad].focus();
      return;
    }
    // job-api sets the owner of a person's job itself (the caller)
    const job = { name: f.name.value.trim(), type: f.type.value.trim() };
    if (!this.caller) job.owner = f.owner.value.trim();
    if (params) job.params = params;
    this.busy(true);
    this.formError(null);
    try {
      await this.submit(job, this.key);
      if (job.owner) localStorage.setItem(OWNER_KEY, job.owner);
      this.dialog.close('start');
    } catch (e) {
      this.busy(false);
      if (e instanceof ApiError && e.status === 400 && e.problem.errors) {
        let focusName = null;
        for (const [field, message] of Object.entries(e.fieldErrors)) {
          // job-api names a parameter params.<name>; an undeclared type's params sit in one JSON field
          const param = field.startsWith('params.') ? `param-${field.slice(7)}` : null;
          const name = param && f[param] ? param : field.startsWith('params') && f['param-json'] ? 'param-json' : field;
          if (f[name]) {
            this.showError(name, message);
            focusName ??= name;
          }
        }
        if (focusName) f[focusName].focus();
        else this.formError(e.message);
      } else {
        this.formError(e.message || 'The job could not be started.');
      }
    }
  }

  /**
   * The params from the parameter fields, checked against the declaration as job-api will check them
   * (its answer is shown the same way): {params, errors: {fieldName: message}}.
   */
  readParams() {
    const f = this.form.elements;
    const errors = {};
    if (this.params === null) {
      const text = f['param-json']?.value.trim();
      if (!text) return { params: null, errors };
      try {
        const value = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value)) return { params: value, errors };
      } catch {
        // fall through
      }
      errors['param-json'] = 'A JSON object, e.g. {"rows": 100}.';
      return { params: null, errors };
    }
    const params = {};
    for (const p of this.params) {
      const input = f[`param-${p.name}`];
      const raw = p.kind === 'boolean' ? (input.checked ? true : undefined) : input.value.trim();
      if (raw === undefined || raw === '') {
        if (p.required) errors[input.name] = 'Required.';
        continue;
      }
      const message = problemOf(p, raw);
      if (message) errors[input.name] = message;
      else params[p.name] = p.kind === 'number' || p.kind === 'integer' ? Number(raw) : raw;
    }
    // The demo's step: about ten progress steps whatever the duration, unless given.
    const names = this.params.map((p) => p.name);
    if (names.includes('duration') && names.includes('step') && params.duration !== undefined && params.step === undefined) {
      params.step = Math.max(0.1, Math.round(params.duration / 10 * 10) / 10);
    }
    return { params: Object.keys(params).length ? params : null, errors };
  }

  showError(name, message) {
    const input = this.form.elements[name];
    const out = this.dialog.querySelector(`#job-${name}-error`);
    if (!input || !out) return;
    out.textContent = message || '';
    out.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  formError(message) {
    const out = this.dialog.querySelector('#start-error');
    out.textContent = message || '';
    out.hidden = !message;
  }

  busy(on) {
    const button = this.form.querySelector('button[type=submit]');
    button.disabled = on;
    button.textContent = on ? 'Starting…' : 'Start job';
    this.form.setAttribute('aria-busy', String(on));
  }
}

/** What is wrong with a field's text for a declared parameter, as job-api would say it; null: fine. */
function problemOf(p, raw) {
  const range = (value, unit) => {
    const below = p.min !== null && p.min !== undefined && value < p.min;
    const above = p.max !== null && p.max !== undefined && value > p.max;
    if (!below && !above) return null;
    const has = p.min !== null && p.min !== undefined;
    const hasMax = p.max !== null && p.max !== undefined;
    const bounds = has && hasMax ? `between ${p.min} and ${p.max}` : has ? `at least ${p.min}` : `at most ${p.max}`;
    return unit ? `Must have ${bounds} ${unit}.` : `Must be ${bounds}.`;
  };
  if (p.kind === 'string') return range([...raw].length, 'characters');
  if (p.kind === 'boolean') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) return p.kind === 'integer' ? 'A whole number.' : 'A number.';
  if (p.kind === 'integer' && !Number.isInteger(n)) return 'A whole number.';
  return range(n, null);
}

/** A labelled field for one declared parameter (or the JSON field of an undeclared type), with hint and error. */
function paramField(p, previous) {
  const id = `job-param-${p.name}`;
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = id;
  const title = p.kind === 'json' ? 'Parameters' : p.name.charAt(0).toUpperCase() + p.name.slice(1).replaceAll('_', ' ');
  label.textContent = title;
  if (p.kind !== 'json' && !p.required) {
    label.append(' ', Object.assign(document.createElement('span'), { className: 'muted', textContent: '(optional)' }));
  }
  let input;
  if (p.kind === 'json') {
    input = document.createElement('textarea');
    input.rows = 2;
    input.placeholder = '{"rows": 100}';
  } else {
    input = document.createElement('input');
    input.type = p.kind === 'boolean' ? 'checkbox' : p.kind === 'string' ? 'text' : 'number';
    if (p.kind === 'number' || p.kind === 'integer') {
      input.step = p.kind === 'integer' ? '1' : 'any';
      input.inputMode = p.kind === 'integer' ? 'numeric' : 'decimal';
      if (p.min !== null && p.min !== undefined) input.min = p.min;
      if (p.max !== null && p.max !== undefined) input.max = p.max;
    }
    if (p.kind === 'string' && p.max !== null && p.max !== undefined) input.maxLength = p.max;
    input.required = Boolean(p.required);
  }
  input.id = id;
  input.name = `param-${p.name}`;
  input.autocomplete = 'off';
  if (previous[input.name] !== undefined && input.type !== 'checkbox') input.value = previous[input.name];
  const hint = document.createElement('p');
  hint.id = `${id}-hint`;
  hint.className = 'hint';
  const limits = p.kind === 'json' ? 'A JSON object; this type declares no parameters.'
    : [p.description, rangeText(p)].filter(Boolean).join(' · ');
  hint.textContent = limits || (p.required ? '' : 'Empty: the handler\'s default.');
  const error = document.createElement('p');
  error.id = `${id}-error`;
  error.className = 'field-error';
  error.hidden = true;
  input.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
  wrap.append(label, input, hint, error);
  return wrap;
}

function rangeText(p) {
  const has = (v) => v !== null && v !== undefined;
  const unit = p.kind === 'string' ? ' characters' : '';
  if (has(p.min) && has(p.max)) return `${p.min} to ${p.max}${unit}`;
  if (has(p.min)) return `at least ${p.min}${unit}`;
  if (has(p.max)) return `at most ${p.max}${unit}`;
  return '';
}
