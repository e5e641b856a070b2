/**
 * Which rows of a long list of equal-height rows to put in the page: those in the scrolled viewport, and
 * `overscan` more on either side, so that a short scroll shows rows already drawn. A list of 5,000 checks then
 * keeps a few dozen rows in the page; spacers stand in for the rest, so the scrollbar still spans them all.
 */
export interface RowWindow {
  /** The first row drawn, and one past the last. */
  start: number;
  end: number;
}

export interface ListLayout {
  count: number;
  rowHeight: number;
  overscan: number;
}

export function rowWindow({ count, rowHeight, overscan }: ListLayout, scrollTop: number, viewportHeight: number): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight);
  const start = Math.min(count, Math.max(0, first - overscan));
  return { start, end: Math.max(start, Math.min(count, last + overscan)) };
}
