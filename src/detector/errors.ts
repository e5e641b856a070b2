/** Why an image could not be scored; the extension shows "can't check: <reason>". */
export type CannotCheckReason =
  | 'unreadable' // the file or URL could not be read at all
  | 'unsupported-format' // not a raster format we decode (SVG, video, HEIC, an unknown file)
  | 'decode-failed' // a known format, but the data is corrupt or truncated
  | 'too-small' // a side is shorter than one patch
  | 'too-large'; // more pixels than the model card allows

export class CannotCheck extends Error {
  override readonly name = 'CannotCheck';

  constructor(
    readonly reason: CannotCheckReason,
    readonly detail?: string,
  ) {
    super(detail ? `can't check: ${reason} (${detail})` : `can't check: ${reason}`);
  }
}
