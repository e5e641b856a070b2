/** The evaluation report as text, one block per condition. */
import type { Thresholds } from '../detector/sidecar.ts';
import type { ConditionMetrics, GroupRate } from '../detector/metrics.ts';

export interface Failure {
  path: string;
  /** The condition it failed under, absent when the file itself could not be decoded. */
  condition?: string;
  error: string;
}

export interface ReportHeader {
  model: string;
  /** The onnxruntime that ran it (src/node/runtime.ts). */
  runtime: string;
  sensitivity: string;
  thresholds: Thresholds;
  listed: number;
  /** How many of them the model trained on; undefined when that couldn't be told. */
  inSample?: number;
}

const fixed = (x: number, digits = 3) => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));

export function formatReport(
  header: ReportHeader,
  metrics: Record<string, ConditionMetrics>,
  failures: readonly Failure[],
): string {
  const { ai, real } = header.thresholds;
  const lines = [
    `model ${header.model} on ${header.runtime}, sensitivity ${header.sensitivity} (AI at p >= ${ai}, real below ${real})`,
    `${header.listed} images listed, ${failures.length} failures` +
      (header.inSample ? `, ${header.inSample} in-sample (the model trained on them)` : ''),
  ];
  for (const [condition, m] of Object.entries(metrics)) {
    lines.push(
      '',
      `${condition}: ${m.nReal} real, ${m.nFake} fake`,
      `  AUC ${fixed(m.auc)}   balanced accuracy ${fixed(m.balancedAccuracy)}   FPR ${fixed(m.fpr)}   ` +
        `recall ${fixed(m.recall)}   unsure ${fixed(m.unsureRate)}`,
      '  recall by fake group:',
      ...groupLines(m.recallByFakeGroup),
      '  false-positive rate by real group:',
      ...groupLines(m.fprByRealGroup),
    );
  }
  if (failures.length > 0) {
    lines.push(
      '',
      'failures:',
      ...failures.map((f) => `  ${f.error}${f.condition ? ` (${f.condition})` : ''}  ${f.path}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

function groupLines(groups: Record<string, GroupRate>): string[] {
  const width = Math.max(0, ...Object.keys(groups).map((g) => g.length));
  return Object.entries(groups).map(([group, { n, rate }]) => `    ${group.padEnd(width)}  ${fixed(rate)}  (n=${n})`);
}
