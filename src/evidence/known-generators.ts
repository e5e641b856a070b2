/**
 * Generator names in free-text fields (EXIF Software/ImageDescription, XMP CreatorTool/Credit, PNG Software/Comment,
 * C2PA claim_generator/softwareAgent/description). One table for every reader, so that they all agree.
 *
 * A free-text field is weak evidence, and ordinary words are risky: "flux", "runway", "firefly", "imagen" (Spanish
 * for "image"), "dalle" (Italian), "ideogram" and "Sora" (a given name) all occur in captions of real photos. Those
 * names only count with a qualifier ("FLUX.1", "Runway Gen-3", "Adobe Firefly", "Google Imagen") or as the whole
 * field (a Software field that is just "Sora").
 */

export interface GeneratorMatch {
  name: string;
  /** Which text matched, for people: 'matched "Image Creator from Designer"'. */
  rule: string;
  /** The matched text itself, e.g. "Image Creator from Designer". */
  matched: string;
}

interface GeneratorRule {
  name: string;
  patterns: RegExp[];
}

/** A field that is only this name, perhaps with a version: "Sora", "Ideogram 2.0", "FLUX". */
const wholeField = (name: string) => new RegExp(`^\\s*${name}(?:\\s*v?\\d+(?:\\.\\d+)*)?\\s*$`, 'i');

/** Order matters where names overlap: the more specific ones come first. */
export const KNOWN_GENERATORS: readonly GeneratorRule[] = [
  {
    name: 'Bing Image Creator',
    patterns: [
      /\bImage Creator from (?:Microsoft )?Designer\b/i,
      /\bBing Image Creator\b/i,
      /\bImage Creator (?:in|from) Bing\b/i,
    ],
  },
  { name: 'Microsoft Designer', patterns: [/\bMicrosoft Designer\b/i] },
  {
    name: 'Adobe Firefly',
    patterns: [
      /\bAdobe[\s_-]?Firefly\b/i,
      /\bFirefly (?:Image|Video)(?: Model)?(?: \d+)?\b/,
      wholeField('Firefly'),
      /\bGenerative (?:Fill|Expand)\b/i,
    ],
  },
  { name: 'Midjourney', patterns: [/\bMidjourney\b/i] },
  {
    name: 'DALL·E (OpenAI)',
    // "DALL·E", "DALL-E 3", "DALLE2"; not the Italian word "dalle"
    patterns: [/\bDALL[·‧•∙.\-–‐]\s?E\b/i, /\bDALL\s?E\s?[23]\b/i, /\bDALLE[23]?\b/],
  },
  {
    name: 'OpenAI Sora',
    patterns: [
      /\bOpenAI[\s_-]+Sora\b/i,
      wholeField('Sora'),
      /\b(?:generated|created|made)\s+(?:with|by|in|using)\s+Sora\b/i,
    ],
  },
  {
    name: 'ChatGPT (OpenAI image generation)',
    // Not "ChatGPT" anywhere: a caption may show a ChatGPT screenshot. The whole field, or a phrase about images.
    patterns: [
      wholeField('ChatGPT'),
      /\b(?:generated|created|made)\s+(?:with|by|in|using)\s+ChatGPT\b/i,
      /\bChatGPT\s+image\s+generation\b/i,
      /\bgpt-image-\d\b/i,
      wholeField('GPT-4o'),
    ],
  },
  {
    name: 'Google AI editing',
    patterns: [/\bEdited with Google AI\b/i],
  },
  {
    name: 'Google Gemini / Imagen',
    patterns: [
      /\bMade with Google AI\b/i,
      /\bGoogle\s+(?:Imagen|Gemini)\b/i,
      wholeField('Imagen'),
      /\bGemini\s+[\d.]+\s+(?:Flash|Pro)\s+Image\b/i,
      /\bNano[\s-]Banana\b/i,
    ],
  },
  { name: 'Meta AI', patterns: [/\bImagined with (?:Meta )?AI\b/i, /\bMeta AI\b/] },
  { name: 'NovelAI', patterns: [/\bNovelAI\b/i] },
  { name: 'Stable Diffusion XL', patterns: [/\bSDXL\b/i, /\bStable[\s_-]?Diffusion[\s_-]?XL\b/i] },
  { name: 'Stable Diffusion', patterns: [/\bStable[\s_-]?Diffusion\b/i] },
  {
    name: 'Stability AI',
    patterns: [/\bStability[\s.]?AI\b/i, /\bDreamStudio\b/i, /\bStable\s+(?:Image\s+(?:Core|Ultra)|Cascade)\b/i],
  },
  { name: 'Leonardo.Ai', patterns: [/\bLeonardo(?:\.ai|\s+AI)\b/i] },
  { name: 'Ideogram', patterns: [/\bIdeogram(?:\.ai|\s+AI)\b/i, /\bIdeogram\s+v?\d\.\d\b/i, wholeField('Ideogram')] },
  { name: 'Runway', patterns: [/\bRunway\s*(?:ML|Gen-?\d(?:\.\d)?|AI|Frames|Aleph)\b/i, wholeField('Runway')] },
  {
    name: 'FLUX (Black Forest Labs)',
    patterns: [
      /\bFLUX(?:\.\d|\s+\d\.\d)/i,
      /\bFLUX[\s.-](?:pro|dev|schnell|kontext)\b/i,
      /\bBlack Forest Labs\b/i,
      wholeField('FLUX'),
    ],
  },
  { name: 'Kling AI', patterns: [/\bKling\s*(?:AI|\d(?:\.\d)?)\b/i, /\bKlingAI\b/i, wholeField('Kling')] },
  { name: 'Hailuo (MiniMax)', patterns: [/\bHailuo\b/i] },
  { name: 'Playground AI', patterns: [/\bPlayground\s*(?:AI|v[23](?:\.5)?)\b/i] },
  { name: 'Krea', patterns: [/\bKrea(?:\.ai|\s+AI)\b/i] },
  { name: 'Recraft', patterns: [/\bRecraft(?:\.ai|\s+AI|\s+v\d)\b/i, wholeField('Recraft')] },
  { name: 'Seedream / Jimeng (ByteDance)', patterns: [/\b(?:Seedream|Jimeng|Dreamina)\b/i, /即梦/] },
  { name: 'Grok / Aurora (xAI)', patterns: [/\bGrok\s+(?:Imagine|Aurora)\b/i, /\bxAI\s+Aurora\b/i] },
  { name: 'Craiyon', patterns: [/\bCraiyon\b/i] },
  { name: 'NightCafe', patterns: [/\bNightCafe\b/i] },
  {
    name: 'AI-generated (label)',
    patterns: [
      /\bMade with AI\b/i,
      /(?<!\b(?:not|non|no)[\s-])\bAI[\s-]?generated\b/i,
      /\b(?:generated|created)\s+(?:by|with|using)\s+(?:an?\s+)?(?:AI|artificial intelligence)\b/i,
      /人工智能生成|AI生成/,
    ],
  },
];

/** Longer text is a caption or a dump, not a name; matching stays cheap. */
const MAX_TEXT_CHARS = 10_000;

export function matchGenerator(text: string): GeneratorMatch | undefined {
  const normal = text.slice(0, MAX_TEXT_CHARS).normalize('NFKC');
  for (const { name, patterns } of KNOWN_GENERATORS) {
    for (const pattern of patterns) {
      const match = pattern.exec(normal);
      if (match) return { name, rule: `matched "${match[0].trim()}"`, matched: match[0].trim() };
    }
  }
  return undefined;
}
