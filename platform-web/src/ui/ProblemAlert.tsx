import { forwardRef } from 'react';
import { ApiError, networkProblem, type FieldError, type Problem } from '../api/problem';

/** The problem an error stands for: the server's own, or a generic one for anything else. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  if (error instanceof TypeError) return networkProblem();
  return {
    type: 'about:blank',
    title: 'Something went wrong',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  };
}

interface ProblemAlertProps {
  problem: Problem;
  /** Field messages that no control of the form shows. */
  unmatched?: readonly FieldError[];
}

/** The server's explanation of a failure, with its request id for support. */
export const ProblemAlert = forwardRef<HTMLDivElement, ProblemAlertProps>(function ProblemAlert({ problem, unmatched = [] }, ref) {
  return (
    <div ref={ref} className="alert alert-error" role="alert" tabIndex={-1}>
      <p className="alert-title">{problem.title}</p>
      {problem.detail && problem.detail !== problem.title ? <p>{problem.detail}</p> : null}
      {unmatched.length ? (
        <ul>
          {unmatched.map((error) => (
            <li key={`${error.field}:${error.message}`}>
              <code>{error.field}</code> {error.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem.request_id ? <p className="alert-meta">Request id: <code>{problem.request_id}</code></p> : null}
    </div>
  );
});
