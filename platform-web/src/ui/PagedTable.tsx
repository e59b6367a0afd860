import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Page } from '../api/schema';
import { rowsOf } from '../lib/paging';
import { Empty, ErrorState, Loading } from './States';

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  /** The row's name for screen readers: the first such column is a row header. */
  rowHeader?: boolean;
  className?: string;
}

interface PagedTableProps<T> {
  label: string;
  query: UseInfiniteQueryResult<InfiniteData<Page<T>, string | null>>;
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  empty: ReactNode;
  loadingLabel: string;
  rowClassName?(row: T): string | undefined;
}

/**
 * The one table of cursor-paged rows: loading, error and empty states, then the rows of every
 * page loaded so far and a button for the next page while the server has one.
 */
export function PagedTable<T>({ label, query, columns, rowKey, empty, loadingLabel, rowClassName }: PagedTableProps<T>) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError && !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const rows = rowsOf(query.data?.pages, rowKey);
  return (
    <>
      {query.isError ? <ErrorState error={query.error} /> : null}
      {rows.length ? <Table label={label} rows={rows} columns={columns} rowKey={rowKey} {...(rowClassName ? { rowClassName } : {})} /> : <Empty>{empty}</Empty>}
      {query.hasNextPage ? (
        <div className="load-more">
          <button type="button" className="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}

interface TableProps<T> {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  rowClassName?(row: T): string | undefined;
}

/** A plain table of rows; wide tables scroll inside a focusable region instead of the page. */
export function Table<T>({ label, rows, columns, rowKey, rowClassName }: TableProps<T>) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.header} className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th scope="row" key={column.header} className={column.className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.header} className={column.className}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
