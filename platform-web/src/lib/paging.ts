import { useInfiniteQuery, type InfiniteData, type QueryKey } from '@tanstack/react-query';
import type { Page } from '../api/schema';

/**
 * Lists are pages of `{"items", "next_cursor"}`: the first page has no cursor, each next page
 * asks with the cursor of the one before, and a null cursor means there is no more.
 */
export function nextCursor<T>(page: Page<T>): string | undefined {
  return page.next_cursor ?? undefined;
}

/** The rows of every page loaded so far, in order; a row that two pages carry (it moved) counts once. */
export function rowsOf<T>(pages: readonly Page<T>[] | undefined, keyOf: (row: T) => string): T[] {
  const seen = new Set<string>();
  const rows: T[] = [];
  for (const page of pages ?? []) {
    for (const row of page.items) {
      const key = keyOf(row);
      if (!seen.has(key)) {
        seen.add(key);
        rows.push(row);
      }
    }
  }
  return rows;
}

/** A cursor-paged list: TanStack Query keeps the pages in its cache, under `key`. */
export function useCursorPages<T>(key: QueryKey, fetchPage: (cursor: string | null) => Promise<Page<T>>, enabled = true) {
  return useInfiniteQuery<Page<T>, Error, InfiniteData<Page<T>, string | null>, QueryKey, string | null>({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null,
    getNextPageParam: (last: Page<T>) => nextCursor(last),
    enabled,
  });
}
