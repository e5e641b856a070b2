// Written by scripts/lib/ship-face-detector.ts: the face branch's model URLs, or none in a store package.
declare module 'virtual:frameproof/face-models' {
  export const faceModelUrls: { detector: string; classifier: string } | undefined;
}
