/**
 * What every evidence signal is: it reads one kind of evidence from a file's bytes (or its pixels), says whether
 * that evidence *declares* how the file was made, and describes itself in one line for the details panel. The
 * pixel model is not one of these: it always gives a score, and the fusion falls back to it.
 */
import type { RgbImage } from '../detector/image.ts';
import type { MessageKey } from '../shared/i18n.ts';
import type { C2paReading } from './c2pa.ts';

export interface EvidenceInput {
  bytes: Uint8Array;
  /** The server's or the file name's idea of the type; the bytes decide where they disagree. */
  contentType: string;
  /** Decoded pixels, when the host decoded them (images; not videos). */
  pixels?: RgbImage;
  /** Text of a site's AI label found next to the media on the page (extension only; undefined in the CLI). */
  pageLabel?: string;
}

/** What a host provides that a pure module cannot: the C2PA validator is WASM, loaded differently per host. */
export interface EvidenceHost {
  readC2pa(bytes: Uint8Array, contentType: string): Promise<C2paReading>;
}

/** Which kind of evidence decided: the words a badge shows and the CLI's `basis`. */
export type Basis = 'credential' | 'metadata' | 'model';

export interface Declaration {
  /** 'ai': the file says it was made or changed by generative AI. 'signed-capture': a trusted signer vouches for a capture or edit with no AI. */
  says: 'ai' | 'signed-capture';
  basis: Exclude<Basis, 'model'>;
  /** Names the source for people: "Content Credentials from OpenAI", "Stable Diffusion parameters: model X". */
  source: string;
  /** What weakens it: "signer not verified", "the file was changed after signing", "unsigned: anyone can write it". */
  caveats: string[];
}

export interface Signal<Id extends string, Reading> {
  id: Id;
  /** Its name for people ("Content Credentials", "Metadata"), as a message key: the words are the UI language's. */
  label: MessageKey;
  /** 'file': read from the media's bytes or pixels (cached with them); 'page': from the page around it, every check. */
  from: 'file' | 'page';
  /** undefined when it does not apply (e.g. no pixels for a video). Never throws: bad input is "nothing found". */
  read(input: EvidenceInput, host: EvidenceHost): Promise<Reading | undefined>;
  declaration(reading: Reading): Declaration | undefined;
  /** One line for the details panel, also when nothing was found ("none in this file"). */
  describe(reading: Reading): string;
}
