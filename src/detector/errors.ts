/** Why an image could not be scored; the extension shows "can't check: <reason>". */
export type CannotCheckReason =
  | 'unreadable' // the file or URL could not be read at all
  | 'unsupported-format' // not a raster format we decode (SVG, video, HEIC, an unknown file)
  | 'decode-failed' // a known format, but the data is corrupt or truncated
  | 'too-small' // a side is shorter than one patch
  | 'too-large' // more pixels than the model card allows
  | 'protected' // a DRM (EME) video, or one whose frames the page does not let the extension read
  | 'blank' // a video that showed only black or blank frames while it was sampled
  | 'timed-out'; // a step passed its deadline: the server stopped sending, a decode or a model run hung

export class CannotCheck extends Error {
  override readonly name = 'CannotCheck';
  /** One line: decoders' messages may span several, and this text ends up in a badge or a CLI line. */
  readonly detail?: string;

  constructor(
    readonly reason: CannotCheckReason,
    detail?: string,
  ) {
    const oneLine = detail?.replace(/\s+/g, ' ').trim() || undefined;
    super(oneLine ? `can't check: ${reason} (${oneLine})` : `can't check: ${reason}`);
    this.detail = oneLine;
  }
}

/** The first line of an error's message, without a runtime's stack or file paths: what a user is shown. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
