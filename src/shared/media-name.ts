/**
 * Which media a badge is about, in words a screen reader can say: the page's own text for it (alt text, label or
 * title), else its file name, else just "image" or "video". Page text is cut short: a badge's name is read often.
 */
import { t } from './i18n.ts';

export interface MediaText {
  kind: 'image' | 'video';
  /** alt, aria-label and title, in that order of preference; empty or missing ones are skipped. */
  texts: (string | null | undefined)[];
  url: string;
}

const MAX_LENGTH = 60;

export function mediaName({ kind, texts, url }: MediaText): string {
  const own = texts.map((text) => text?.replace(/\s+/g, ' ').trim()).find((text) => text);
  const name = own ?? fileName(url);
  if (!name) return kind === 'video' ? t('mediaVideo') : t('mediaImage');
  return t(kind === 'video' ? 'mediaVideoNamed' : 'mediaImageNamed', shorten(name));
}

/** The badge's accessible name: the verdict first (what a user tabs through badges for), then which media. */
export function badgeName(label: string, media: MediaText): string {
  return t('badgeName', label, mediaName(media));
}

/** The last path segment of an http(s) or file URL, decoded; none for data: and blob: URLs. */
export function fileName(url: string): string {
  let path: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return '';
    path = parsed.pathname;
  } catch {
    return '';
  }
  const last = path.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function shorten(text: string): string {
  return text.length <= MAX_LENGTH ? text : `${text.slice(0, MAX_LENGTH - 1).trimEnd()}…`;
}
