// The "Start job" dialog: a modal <dialog> (focus trapped by the browser, Esc closes it), labelled
// fields, errors announced and tied to their fields, focus back on the opener when it closes.

import { ApiError, newKey } from './api.js';

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
    for (const input of this.form.elements) {
      if (input.name) input.addEventListener('input', () => this.showError(input.name, null));
    }
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
    for (const name of ['name', 'type', 'duration', 'owner']) this.showError(name, null);
    this.formError(null);
    this.busy(false);
    this.dialog.showModal();
    this.form.elements.name.focus();
  }

  async onSubmit(event) {
    event.preventDefault();
    const f = this.form.elements;
    const errors = {
      name: f.name.value.trim() ? null : 'Give the job a name.',
      type: f.type.validity.valid ? null : 'Use lower-case letters, digits and _ . : - only.',
      duration: f.duration.validity.valid ? null : 'A number of seconds from 0.1 to 86400.',
      owner: this.caller || f.owner.validity.valid ? null : 'Letters, digits and _ . @ - only.',
    };
    if (!f.type.value.trim()) errors.type = 'Say which handler runs it.';
    if (!this.caller && !f.owner.value.trim()) errors.owner = 'Say who the job is for.';
    for (const [name, message] of Object.entries(errors)) this.showError(name, message);
    const firstBad = Object.keys(errors).find((name) => errors[name]);
    if (firstBad) {
      f[firstBad].focus();
      return;
    }
    // job-api sets the owner of a person's job itself (the caller)
    const job = { name: f.name.value.trim(), type: f.type.value.trim() };
    if (!this.caller) job.owner = f.owner.value.trim();
    if (f.duration.value !== '') {
      const duration = Number(f.duration.value);
      // Ten or so progress steps whatever the duration (the demo handler's "step" parameter).
      job.params = { duration, step: Math.max(0.1, Math.round(duration / 10 * 10) / 10) };
    }
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
          const name = field.startsWith('params') ? 'duration' : field;
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
