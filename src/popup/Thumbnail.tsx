/** The small preview of a checked image or video frame; an empty tile keeps the column when there is none. */
export function Thumbnail({ src }: { src?: string }) {
  return src ? <img class="thumb" src={src} alt="" /> : <span class="thumb" />;
}
