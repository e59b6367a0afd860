import { describe, expect, it } from 'vitest';
import { nextCursor, rowsOf } from './paging';

describe('cursor paging', () => {
  it('asks for the next page with the cursor of the last one, and stops at a null cursor', () => {
    expect(nextCursor({ items: [1], next_cursor: 'c2' })).toBe('c2');
    expect(nextCursor({ items: [1], next_cursor: null })).toBeUndefined();
  });

  it('joins the pages in order', () => {
    const pages = [
      { items: [{ id: 'a' }, { id: 'b' }], next_cursor: 'x' },
      { items: [{ id: 'c' }], next_cursor: null },
    ];
    expect(rowsOf(pages, (row) => row.id).map((row) => row.id)).toEqual(['a', 'b', 'c']);
  });

  it('shows a row that two pages carry once', () => {
    const pages = [
      { items: [{ id: 'a' }, { id: 'b' }], next_cursor: 'x' },
      { items: [{ id: 'b' }, { id: 'c' }], next_cursor: null },
    ];
    expect(rowsOf(pages, (row) => row.id).map((row) => row.id)).toEqual(['a', 'b', 'c']);
  });

  it('has no rows before the first page arrives', () => {
    expect(rowsOf<{ id: string }>(undefined, (row) => row.id)).toEqual([]);
  });
});
