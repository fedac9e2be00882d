/**
 * The API key for this browser session (sessionStorage: gone when the tab closes). Asked for only
 * when a route refuses: the dialog shows the server's refusal, which names the role needed.
 */
import { h } from './dom.js';

const STORAGE = 'tickvault.key';

export const currentKey = (): string | null => sessionStorage.getItem(STORAGE);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE);

let pending: Promise<boolean> | null = null;

/** Shows the key dialog with why it is asked; resolves true once a key is entered, false when dismissed. */
export const askForKey = (reason: string): Promise<boolean> => {
  pending ??= new Promise<boolean>((resolve) => {
    const input = h('input', { type: 'password', id: 'key-input', name: 'key', autocomplete: 'off', placeholder: 'tvk_…', required: true, 'aria-describedby': 'key-reason' });
    const dialog = h(
      'dialog',
      { class: 'key-dialog', 'aria-labelledby': 'key-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'key-title' }, 'An API key is needed'),
        h('p', { id: 'key-reason' }, reason),
        h('label', { for: 'key-input' }, 'Key'),
        input,
        h('p', { class: 'muted' }, 'Kept for this browser tab only (sessionStorage). `tickvault keys create --role <role>` issues one.'),
        h('div', { class: 'row' }, h('button', { value: 'cancel', type: 'button', id: 'key-cancel' }, 'Cancel'), h('button', { value: 'ok', id: 'key-ok', class: 'primary' }, 'Use key')),
      ),
    );
    const finish = (ok: boolean): void => {
      if (ok) sessionStorage.setItem(STORAGE, input.value.trim());
      dialog.close();
      dialog.remove();
      pending = null;
      resolve(ok);
    };
    dialog.querySelector('#key-cancel')!.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', () => finish(false));
    dialog.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      finish(input.value.trim() !== '');
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
  return pending;
};
