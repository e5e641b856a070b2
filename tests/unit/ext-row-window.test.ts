import { describe, expect, it } from 'vitest';
import { rowWindow } from '../../src/popup/row-window.ts';

// 5,000 rows of 60 px, a 400 px viewport (six or seven rows), and 8 rows of margin either side.
const layout = { count: 5000, rowHeight: 60, overscan: 8 };

describe('the rows a virtual list draws', () => {
  it('at the top: the rows in view and the margin below', () => {
    expect(rowWindow(layout, 0, 400)).toEqual({ start: 0, end: 15 });
  });

  it('in the middle: a row cut by either edge counts as in view', () => {
    // 30,030 px down, row 500 is 30 px out of view at the top; 30,430 px is row 507's 10th pixel.
    expect(rowWindow(layout, 30_030, 400)).toEqual({ start: 492, end: 516 });
  });

  it('at the bottom: up to the last row, the margin only above', () => {
    expect(rowWindow(layout, 5000 * 60 - 400, 400)).toEqual({ start: 4985, end: 5000 });
  });

  it('a list shorter than its viewport draws every row', () => {
    expect(rowWindow({ ...layout, count: 3 }, 0, 400)).toEqual({ start: 0, end: 3 });
    expect(rowWindow({ ...layout, count: 0 }, 0, 400)).toEqual({ start: 0, end: 0 });
  });

  it('before its viewport is measured, draws the margin; an overscrolled list clamps to its ends', () => {
    expect(rowWindow(layout, 0, 0)).toEqual({ start: 0, end: 8 });
    expect(rowWindow(layout, -120, 400)).toEqual({ start: 0, end: 15 });
    expect(rowWindow({ ...layout, count: 10 }, 5000, 400)).toEqual({ start: 10, end: 10 });
  });
});
