// bmp-js 0.1.0 ships no types; only what src/node/decode.ts uses.
declare module 'bmp-js' {
  interface DecodedBmp {
    width: number;
    height: number;
    /** 4 bytes per pixel in A, B, G, R order, rows top-down. */
    data: Buffer;
  }
  const bmp: { decode(buffer: Buffer): DecodedBmp };
  export default bmp;
}
