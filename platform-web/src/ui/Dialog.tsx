import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  /** Called when the dialog closes by itself (Escape) or by a button of its content. */
  onClose(): void;
  children: ReactNode;
}

/**
 * A native modal <dialog>: the browser traps focus, makes the page inert and closes it on Escape.
 * Open while mounted; focus goes back to whatever opened it.
 */
export function Modal({ title, onClose, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const closed = () => onCloseRef.current();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId}>
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** The button beside a dialog form's submit button that closes the dialog: “Cancel”, or “Close” once nothing is left unsaved. */
export function DismissButton({ label = 'Cancel', onClick }: { label?: 'Cancel' | 'Close'; onClick(): void }) {
  return (
    <button type="button" className="button" onClick={onClick}>
      {label}
    </button>
  );
}

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Confirm>(() => Promise.resolve(false));

/** Asks before a destructive action; resolves true only when the user confirms. */
export function useConfirm(): Confirm {
  return useContext(ConfirmContext);
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ options: ConfirmOptions; resolve(value: boolean): void } | null>(null);
  const confirm = useCallback<Confirm>((options) => new Promise((resolve) => setPending({ options, resolve })), []);
  const finish = (value: boolean) => {
    pending?.resolve(value);
    setPending(null);
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {pending ? (
        <Modal title={pending.options.title} onClose={() => finish(false)}>
          <p>{pending.options.message}</p>
          <div className="modal-actions">
            {/* Cancel first and focused: a stray Enter does no harm. */}
            <button type="button" className="button" autoFocus onClick={() => finish(false)}>
              Cancel
            </button>
            <button
              type="button"
              className={pending.options.danger ? 'button button-danger' : 'button button-primary'}
              onClick={() => finish(true)}
            >
              {pending.options.confirmLabel}
            </button>
          </div>
        </Modal>
      ) : null}
    </ConfirmContext.Provider>
  );
}
