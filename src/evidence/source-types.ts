/**
 * The IPTC digital source types that declare generative AI, shared by the C2PA and the XMP readers so that both
 * apply the same rule. https://cv.iptc.org/newscodes/digitalsourcetype/
 */

// Not algorithmicMedia (rule-based, e.g. a fractal) and not algorithmicallyEnhanced (e.g. noise reduction):
// those are made by algorithms but not by a trained generative model.
const GENERATIVE_TERMS = new Set(
  [
    'trainedAlgorithmicMedia',
    'compositeWithTrainedAlgorithmicMedia',
    'compositeSynthetic',
    'trainedAlgorithmicData',
  ].map((term) => term.toLowerCase()),
);

/** True for a generative-AI term, given as the bare term or as the full IPTC URI (any scheme or host). */
export function isGenerativeSourceType(term: string): boolean {
  return GENERATIVE_TERMS.has(sourceTypeTerm(term).toLowerCase());
}

/** "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia/" → "trainedAlgorithmicMedia" */
export function sourceTypeTerm(uri: string): string {
  return uri.trim().replace(/\/+$/, '').split(/[/#]/).pop() ?? '';
}
