/**
 * The unsigned metadata signals of one file: IPTC/XMP AI declarations, generation records written by generation
 * tools, and free-text fields that name a generator. All of it can be written or removed by anyone: it is evidence
 * for "AI" when present and says nothing when absent.
 */
import { matchGenerator } from '../known-generators.ts';
import { isGenerativeSourceType } from '../source-types.ts';
import { extractPieces, type MetadataPieces, type TextPiece } from './containers.ts';
import { readExif, type ExifFields } from './exif.ts';
import { readGenerationRecord } from './generation.ts';
import { readXmp, type XmpFields } from './xmp.ts';

export interface IptcReading {
  /** As written, e.g. "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia". */
  digitalSourceType: string | null;
  /**
   * True for the generative-AI terms: trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia,
   * compositeSynthetic, trainedAlgorithmicData (NOT algorithmicMedia, NOT algorithmicallyEnhanced).
   * Also true for China's TC260 AIGC label with Label "1" ("generated"), which has no source type.
   */
  ai: boolean;
  aiSystemUsed?: string;
  aiSystemVersionUsed?: string;
  aiPromptInformation?: string;
  aiPromptWriterName?: string;
  credit?: string;
  /** The TC260 AIGC `Label`: "1" generated, "2" possibly generated, "3" suspected. */
  aigcLabel?: string;
  provenance?: string;
}

export interface GeneratorReading {
  /** e.g. "Stable Diffusion web UI (AUTOMATIC1111/Forge)", "ComfyUI", "Midjourney" */
  tool: string;
  model?: string;
  sampler?: string;
  prompt?: string;
  /** Where it was found, for people: "PNG tEXt 'parameters'", "EXIF UserComment", "XMP xmp:CreatorTool", ... */
  where: string;
  /** 'parameters': a generation record written by the tool; 'name': a free-text field naming a generator (weaker). */
  kind: 'parameters' | 'name';
}

export interface MetadataReading {
  /** null when no XMP/IPTC source type or AI field at all. */
  iptc: IptcReading | null;
  /** The strongest one found ('parameters' beats 'name'). */
  generator: GeneratorReading | null;
  /** Traces of Content Credentials that were stripped or kept remotely: XMP dcterms:provenance. */
  provenanceRef?: string;
}

export async function readMetadata(bytes: Uint8Array): Promise<MetadataReading> {
  try {
    return interpret(await extractPieces(bytes));
  } catch {
    // The readers bound every access; this keeps "never throws" true for a case they missed.
    return { iptc: null, generator: null };
  }
}

/** Pieces → reading, exported for the fuzz tests, which feed it extractPiecesOrThrow's pieces. */
export function interpret(pieces: MetadataPieces): MetadataReading {
  const xmp = firstOfEach(pieces.xmp.map(readXmp));
  const exif = firstOfEach(pieces.exif.map(readExif));
  const texts = [...pieces.texts, ...exifTexts(exif), ...xmpTexts(xmp)];
  const generator = readGenerationRecord(texts) ?? namedGenerator(texts);
  return {
    iptc: iptcReading(xmp),
    generator: generator ?? null,
    ...(xmp.provenance ? { provenanceRef: xmp.provenance } : {}),
  };
}

/** Several packets or EXIF blocks (main and extended XMP, JPEG and PNG eXIf): the first value of each field wins. */
function firstOfEach<T extends object>(readings: T[]): Partial<T> {
  const merged: Partial<T> = {};
  for (const reading of readings) {
    for (const [key, value] of Object.entries(reading) as [keyof T, T[keyof T]][]) merged[key] ??= value;
  }
  return merged;
}

const EXIF_TEXTS: [keyof ExifFields, string][] = [
  ['userComment', 'UserComment'],
  ['software', 'Software'],
  ['imageDescription', 'ImageDescription'],
  ['artist', 'Artist'],
  ['xpComment', 'XPComment'],
  ['make', 'Make'],
  ['model', 'Model'],
];

function exifTexts(exif: Partial<ExifFields>): TextPiece[] {
  return EXIF_TEXTS.flatMap(([field, key]) => {
    const text = exif[field];
    return text ? [{ key, text, where: `EXIF ${key}` }] : [];
  });
}

const XMP_TEXTS: [keyof XmpFields, string, string][] = [
  ['creatorTool', 'CreatorTool', 'XMP xmp:CreatorTool'],
  ['aiSystemUsed', 'AISystemUsed', 'XMP Iptc4xmpExt:AISystemUsed'],
  ['credit', 'Credit', 'XMP photoshop:Credit'],
  ['description', 'description', 'XMP dc:description'],
  ['creator', 'creator', 'XMP dc:creator'],
];

function xmpTexts(xmp: Partial<XmpFields>): TextPiece[] {
  return XMP_TEXTS.flatMap(([field, key, where]) => {
    const text = xmp[field];
    return text ? [{ key, text, where }] : [];
  });
}

/** Fields that name the tool that wrote the file: a generator's name there is the tool's own word. */
const TOOL_FIELDS = ['software', 'creatortool', 'aisystemused', 'exif:software'];

/**
 * Free text that may carry a label ("Made with Google AI", "Created with Midjourney"), but also captions that merely
 * mention a generator ("Midjourney CEO speaks…", "a debate on AI-generated deepfakes"). Not titles (a photo may be
 * called "Runway"), nor Make/Model (camera makers), nor the generation keys (prompts name artists and styles).
 */
const CAPTION_FIELDS = ['credit', 'comment', 'xpcomment', 'imagedescription', 'exif:imagedescription', 'description', 'source', 'artist', 'creator'];

/** "made with", "generated by", …: the words that turn a name in a caption into a declaration. */
const DECLARING = String.raw`(?:made|generated|created|imagined|produced|rendered|edited|painted|drawn)\s+(?:with|by|using|in|on)\s+(?:an?\s+)?`;

function namedGenerator(texts: TextPiece[]): GeneratorReading | undefined {
  for (const field of [...TOOL_FIELDS, ...CAPTION_FIELDS]) {
    for (const piece of texts) {
      if (piece.key.toLowerCase() !== field) continue;
      const match = matchGenerator(piece.text);
      if (match && (TOOL_FIELDS.includes(field) || captionDeclares(piece.text, match.matched))) {
        return { tool: match.name, where: piece.where, kind: 'name' };
      }
    }
  }
  return undefined;
}

/** In a caption a name declares only as the whole field ("Midjourney v6", "AI Generated Image") or after "made with". */
function captionDeclares(text: string, matched: string): boolean {
  const name = matched.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const wholeField = new RegExp(
    `^\\s*(?:${DECLARING})?${name}(?:\\s*v?\\d+(?:\\.\\d+)*)?(?:\\s+(?:image|picture|photo|artwork|art|content|render))?\\s*[.!]?\\s*$`,
    'i',
  );
  return wholeField.test(text.normalize('NFKC')) || new RegExp(`${DECLARING}${name}`, 'i').test(text.normalize('NFKC'));
}

function iptcReading(xmp: Partial<XmpFields>): IptcReading | null {
  const { digitalSourceType, aiSystemUsed, aiSystemVersionUsed, aiPromptInformation, aiPromptWriterName, aigcLabel } =
    xmp;
  const aiFields = [aiSystemUsed, aiSystemVersionUsed, aiPromptInformation, aiPromptWriterName, aigcLabel];
  if (digitalSourceType === undefined && aiFields.every((value) => value === undefined)) return null;
  const optional = {
    aiSystemUsed,
    aiSystemVersionUsed,
    aiPromptInformation,
    aiPromptWriterName,
    credit: xmp.credit,
    aigcLabel,
    provenance: xmp.provenance,
  };
  return {
    digitalSourceType: digitalSourceType ?? null,
    ai: (digitalSourceType !== undefined && isGenerativeSourceType(digitalSourceType)) || aigcLabel === '1',
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}
