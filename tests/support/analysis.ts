/** A minimal image analysis for tests of what happens after the model: a blank heat map, no evidence. */
import type { Analysis } from '../../src/shared/messages.ts';

export function analysisOf(fields: Partial<Analysis> = {}): Analysis {
  return {
    sha256: 'h',
    score: 0.5,
    model: 'image-artifact@1.0.0',
    branches: {},
    heatmap: { rows: 0, cols: 0, ys: [], xs: [], patch: 64, probabilities: [] },
    width: 64,
    height: 64,
    thumbnail: '',
    evidence: {},
    ...fields,
  };
}
