/** From per-patch outputs to one image score, and to the heat map the extension draws over the image. */

/** Mean of the k highest values, k = max(1, ceil(fraction × n)): a generated region needs only a few patches. */
export function topKMean(values: ArrayLike<number>, fraction: number): number {
  if (values.length === 0) throw new RangeError('topKMean of no values');
  const k = Math.max(1, Math.ceil(fraction * values.length));
  const top = Array.from(values)
    .sort((a, b) => b - a)
    .slice(0, k);
  return top.reduce((sum, v) => sum + v, 0) / k;
}

export interface Heatmap {
  rows: number;
  cols: number;
  /** Pixel offsets of the grid rows and columns, and the patch side: cell (r, c) covers ys[r]..ys[r]+patch. */
  ys: number[];
  xs: number[];
  patch: number;
  /** Calibrated per-patch probabilities, row-major: cell (r, c) is at r * cols + c. */
  probabilities: number[];
}

export function buildHeatmap(probabilities: ArrayLike<number>, ys: number[], xs: number[], patch: number): Heatmap {
  if (probabilities.length !== ys.length * xs.length) {
    throw new RangeError(`${probabilities.length} patch values for a ${ys.length}×${xs.length} grid`);
  }
  return { rows: ys.length, cols: xs.length, ys, xs, patch, probabilities: Array.from(probabilities) };
}
