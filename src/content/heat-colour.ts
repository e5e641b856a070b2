/** Heat-map cell colour: blue (likely real) → amber → red (likely AI), by the patch's calibrated probability. */
const STOPS: [number, [number, number, number, number]][] = [
  [0, [46, 144, 250, 0.45]],
  [0.5, [254, 200, 75, 0.5]],
  [1, [217, 45, 32, 0.7]],
];

export function heatColour(probability: number): string {
  const p = Math.min(1, Math.max(0, probability));
  const upper = STOPS.findIndex(([at]) => at >= p);
  const [a, from] = STOPS[Math.max(0, upper - 1)]!;
  const [b, to] = STOPS[upper]!;
  const t = b === a ? 0 : (p - a) / (b - a);
  const mix = from.map((v, i) => v + (to[i]! - v) * t);
  return `rgba(${Math.round(mix[0]!)}, ${Math.round(mix[1]!)}, ${Math.round(mix[2]!)}, ${mix[3]!.toFixed(2)})`;
}
