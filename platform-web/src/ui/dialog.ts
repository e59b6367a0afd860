import { h, uniqueId } from './dom';

export interface ModalOptions {
  title: string;
  /** Builds the dialog's body; `close` ends the dialog with the given result. */
  content: (close: (result: boolean) => void) => Node;
}

/**
 * Opens a native modal <dialog> (focus trapping, Escape and inertness come from the browser)
 * and resolves when it closes. Focus returns to whatever opened it, if that is still on the page.
 */
export function openModal(options: ModalOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = uniqueId('dialog-title');
  const dialog = h('dialog', { class: 'modal', 'aria-labelledby': titleId });

  return new Promise((resolve) => {
    let result = false;
    const close = (value: boolean) => {
      result = value;
      dialog.close();
    };
    dialog.append(h('h2', { id: titleId, class: 'modal-title' }, options.title), options.content(close));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
}

export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  return openModal({
    title: options.title,
    content: (close) => {
      const cancel = h('button', { type: 'button', class: 'button', onclick: () => close(false) }, 'Cancel');
      const confirm = h(
        'button',
        { type: 'button', class: options.danger ? 'button button-danger' : 'button button-primary', onclick: () => close(true) },
        options.confirmLabel,
      );
      // Starting on Cancel makes a stray Enter harmless for destructive actions.
      queueMicrotask(() => cancel.focus());
      return h(
        'div',
        {},
        h('p', {}, options.message),
        h('div', { class: 'modal-actions' }, cancel, confirm),
      );
    },
  });
}
