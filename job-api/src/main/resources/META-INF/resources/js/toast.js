// Short notices in a polite live region; errors stay until dismissed.

export function toast(text, kind = 'info') {
  const region = document.getElementById('toasts');
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const span = document.createElement('span');
  span.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';
  close.addEventListener('click', () => item.remove());
  item.append(span, close);
  region.append(item);
  while (region.children.length > 4) region.firstElementChild.remove();
  if (kind !== 'error') setTimeout(() => item.remove(), 5000);
}
