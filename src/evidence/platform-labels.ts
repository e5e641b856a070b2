/**
 * The AI labels large sites print next to a post's media, as text a reader sees. Matched only as a whole short label
 * (a button or badge), never inside a sentence: "AI info" in a comment about AI is not the site's label.
 */
export interface PlatformLabel {
  /** The label as the site words it. */
  label: string;
  /** Whose wording it is, for people. */
  sites: string;
}

export const PLATFORM_LABELS: readonly PlatformLabel[] = [
  { label: 'AI info', sites: 'Instagram, Facebook, Threads' },
  { label: 'Made with AI', sites: 'Instagram, Facebook (2024)' },
  { label: 'Imagined with AI', sites: 'Meta AI' },
  { label: 'Altered or synthetic content', sites: 'YouTube' },
  { label: 'Creator labeled as AI-generated', sites: 'TikTok' },
  { label: 'AI-generated', sites: 'TikTok, Pinterest' },
  { label: 'AI modified', sites: 'Pinterest' },
];

/** Longer text is a sentence, not a label. */
const MAX_LABEL_CHARS = 40;

export function matchPlatformLabel(text: string): PlatformLabel | undefined {
  const normal = text.replace(/\s+/g, ' ').trim();
  if (!normal || normal.length > MAX_LABEL_CHARS) return undefined;
  return PLATFORM_LABELS.find((entry) => entry.label.toLowerCase() === normal.toLowerCase());
}
