import { useEffect, useId, useRef, useState } from 'react';
import { copyText } from './clipboard';

interface SecretPanelProps {
  heading: string;
  /** What the secret is, for the field's label: "API key backend". */
  label: string;
  secret: string;
  details?: readonly [string, string][];
  /** What to do with it, after the "copy it now" warning. */
  note?: string;
  /** The copy button's text ("Copy link"); "Copy" by default. */
  copyLabel?: string;
  dismissLabel: string;
  onDismiss(): void;
}

/**
 * A secret the server shows exactly once (an API key, a webhook signing secret, an invitation
 * link). It lives only in this component's props: never in storage, never in the query cache,
 * gone once dismissed.
 */
export function SecretPanel({ heading, label, secret, details = [], note, copyLabel = 'Copy', dismissLabel, onDismiss }: SecretPanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');
  const headingId = useId();
  const inputId = useId();
  useEffect(() => headingRef.current?.focus(), [secret]);

  const copy = async () => {
    const copied = await copyText(secret);
    setStatus(copied ? 'Copied to clipboard.' : 'Copy failed: select the value and copy it yourself.');
    if (!copied) inputRef.current?.select();
  };

  return (
    <section className="secret-panel" aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {heading}
      </h2>
      <p className="warning">
        <strong>Copy it now. </strong>
        For your security it will not be shown again.
      </p>
      {note ? <p>{note}</p> : null}
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      <div className="secret-row">
        <input
          ref={inputRef}
          id={inputId}
          className="secret-value"
          type="text"
          readOnly
          value={secret}
          spellCheck={false}
          autoComplete="off"
          data-secret="shown-once"
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copyLabel}
        </button>
      </div>
      <p className="copy-status" role="status" aria-live="polite">
        {status}
      </p>
      {details.length ? (
        <dl className="secret-meta">
          {details.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <button type="button" className="button" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </section>
  );
}
