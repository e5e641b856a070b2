/**
 * Image files carrying the metadata that generation tools and AI services write, built here because no such file is
 * in the shared datasets: a sharp-encoded picture, then chunks or segments written byte for byte the way the tools
 * write them (A1111 through Pillow/piexif, ComfyUI, InvokeAI, NovelAI, Fooocus, IPTC 2025.1, Gemini, TC260).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createDeflate, crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { RgbImage } from '../../src/detector/image.ts';
import { sharedManifestPath } from '../../src/eval/inSample.ts';
import { encode, makeImage } from './fixtures.ts';

// ---------------------------------------------------------------- payloads

export const A1111_PROMPT =
  'masterpiece, best quality, a lighthouse on a cliff at sunset, dramatic clouds, (volumetric light:1.2), highly detailed';
export const A1111_PARAMETERS = [
  A1111_PROMPT,
  'Negative prompt: lowres, bad anatomy, blurry, watermark, signature',
  'Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567890, Size: 512x768, Model hash: 879db523c3, ' +
    'Model: dreamshaper_8, Denoising strength: 0.45, Hires upscale: 2, Hires upscaler: Latent, ' +
    'Lora hashes: "add_detail: 7c6bad76eb54, epiNoiseoffset_v2: d1131f7207d6", Version: v1.6.0',
].join('\n');

/** Forge, with a multi-line prompt and a dynamic-prompts "Template" line after the parameter line. */
export const FORGE_PARAMETERS = [
  'photo of a red fox in the snow,',
  'golden hour, 85mm',
  'Negative prompt: cartoon, painting',
  'Steps: 20, Sampler: Euler a, Schedule type: Automatic, CFG scale: 5, Seed: 42, Size: 1024x1024, Model hash: 1f69731261, ' +
    'Model: juggernautXL_v9Rdphoto2Lightning, Version: f2.0.1v1.10.1-previous-313-g8a042934, Module 1: sdxl_vae',
  'Template: photo of a red fox in the snow, {golden hour|blue hour}, 85mm',
].join('\n');

/** The default ComfyUI graph, as the API ("prompt") and as the editor saves it ("workflow"). */
export const COMFYUI_PROMPT = JSON.stringify({
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 156680208700286,
      steps: 20,
      cfg: 8,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'SDXL/sd_xl_base_1.0.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 1024, height: 1024, batch_size: 1 } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'text, watermark', clip: ['4', 1] } },
  '6': {
    class_type: 'CLIPTextEncode',
    inputs: { text: 'beautiful scenery nature glass bottle landscape, purple galaxy bottle,', clip: ['4', 1] },
  },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] } },
});

export const COMFYUI_WORKFLOW = JSON.stringify({
  last_node_id: 9,
  last_link_id: 9,
  nodes: [
    {
      id: 7,
      type: 'CLIPTextEncode',
      inputs: [{ name: 'clip', type: 'CLIP', link: 5 }],
      widgets_values: ['text, watermark'],
    },
    {
      id: 6,
      type: 'CLIPTextEncode',
      inputs: [{ name: 'clip', type: 'CLIP', link: 3 }],
      widgets_values: ['beautiful scenery nature glass bottle landscape, purple galaxy bottle,'],
    },
    {
      id: 3,
      type: 'KSampler',
      inputs: [
        { name: 'model', type: 'MODEL', link: 1 },
        { name: 'positive', type: 'CONDITIONING', link: 4 },
        { name: 'negative', type: 'CONDITIONING', link: 6 },
      ],
      widgets_values: [156680208700286, 'randomize', 20, 8, 'euler', 'normal', 1],
    },
    { id: 4, type: 'CheckpointLoaderSimple', inputs: [], widgets_values: ['SDXL/sd_xl_base_1.0.safetensors'] },
  ],
  links: [
    [1, 4, 0, 3, 0, 'MODEL'],
    [3, 4, 1, 6, 0, 'CLIP'],
    [4, 6, 0, 3, 1, 'CONDITIONING'],
    [5, 4, 1, 7, 0, 'CLIP'],
    [6, 7, 0, 3, 2, 'CONDITIONING'],
  ],
  version: 0.4,
});

export const INVOKEAI_METADATA = JSON.stringify({
  generation_mode: 'txt2img',
  positive_prompt: 'a cozy wooden cabin in snowy woods at dusk, warm window light',
  negative_prompt: '',
  width: 1024,
  height: 1024,
  seed: 3261935279,
  rand_device: 'cpu',
  cfg_scale: 7.5,
  cfg_rescale_multiplier: 0,
  steps: 30,
  scheduler: 'dpmpp_2m_k',
  model: {
    key: '9f1a6c0e-2b1c-4d0e-9a59-2d7b2c1f0a11',
    hash: 'blake3:0f3c',
    name: 'Juggernaut XL v9',
    base: 'sdxl',
    type: 'main',
  },
  app_version: '4.2.4',
});

export const NOVELAI_COMMENT = JSON.stringify({
  prompt: '1girl, solo, silver hair, starry sky, night, masterpiece',
  steps: 28,
  height: 1216,
  width: 832,
  scale: 5,
  uncond_scale: 1,
  cfg_rescale: 0,
  seed: 2814455112,
  n_samples: 1,
  noise_schedule: 'karras',
  sampler: 'k_euler_ancestral',
  uc: 'lowres, bad anatomy, bad hands',
  request_type: 'PromptGenerateRequest',
});

export const FOOOCUS_PARAMETERS = JSON.stringify({
  adm_guidance: '(1.5, 0.8, 0.3)',
  base_model: 'juggernautXL_v8Rundiffusion.safetensors',
  base_model_hash: 'aeb7e9e689',
  full_negative_prompt: [
    '(worst quality, low quality, normal quality, lowres, low details, oversaturated, undersaturated',
  ],
  full_prompt: ['a red fox in a snowy forest, intricate, elegant, highly detailed, sharp focus'],
  guidance_scale: 4,
  loras: [['sd_xl_offset_example-lora_1.0.safetensors', 0.1, '4852686128']],
  metadata_scheme: 'fooocus',
  negative_prompt: '',
  performance: 'Speed',
  prompt: 'a red fox in a snowy forest',
  refiner_model: 'None',
  resolution: '(1152, 896)',
  sampler: 'dpmpp_2m_sde_gpu',
  scheduler: 'karras',
  seed: '2960185424',
  sharpness: 2,
  steps: 30,
  styles: "['Fooocus V2', 'Fooocus Enhance', 'Fooocus Sharp']",
  vae: 'Default (model)',
  version: 'Fooocus v2.5.5',
});

export const MIDJOURNEY_DESCRIPTION =
  'a watercolor map of an imaginary island, soft pastel palette --ar 3:2 --v 6.1 Job ID: 6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f';

export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

/** IPTC 2025.1: the source type and the AI properties, in attribute form with the usual prefix. */
export const IPTC_AI_XMP = xmpPacket(`
  <rdf:Description rdf:about=""
      xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
      xmlns:xmp="http://ns.adobe.com/xap/1.0/"
      Iptc4xmpExt:DigitalSourceType="${TRAINED_ALGORITHMIC_MEDIA}"
      Iptc4xmpExt:AISystemUsed="Midjourney"
      Iptc4xmpExt:AISystemVersionUsed="6.1"
      Iptc4xmpExt:AIPromptInformation="a watercolor map of an imaginary island &amp; its harbour, &quot;soft&quot; pastels"
      Iptc4xmpExt:AIPromptWriterName="Jane Doe"
      xmp:CreatorTool="Midjourney"/>`);

/** The same facts in element and resource form, under another prefix bound to the IPTC namespace. */
export const IPTC_AI_XMP_ELEMENTS = xmpPacket(`
  <rdf:Description rdf:about="" xmlns:iptcExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <iptcExt:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"/>
   <iptcExt:AISystemUsed>Adobe Firefly Image 3</iptcExt:AISystemUsed>
   <iptcExt:AIPromptInformation><![CDATA[a <small> cat & a dog]]></iptcExt:AIPromptInformation>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Poster draft &#8212; caf&#xE9; scene</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>Studio One</rdf:li><rdf:li>Someone Else</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>`);

/** What Gemini writes into its PNGs (iTXt XML:com.adobe.xmp). */
export const GEMINI_XMP = xmpPacket(`
  <rdf:Description rdf:about=""
      xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
      xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
      photoshop:Credit="Made with Google AI"
      Iptc4xmpExt:DigitalSourceType="${TRAINED_ALGORITHMIC_MEDIA}"/>`);

/** China's GB 45438-2025 implicit label; the JSON is entity-escaped inside an attribute. */
export const TC260_XMP = xmpPacket(`
  <rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"
      TC260:AIGC="{&quot;Label&quot;:&quot;1&quot;,&quot;ContentProducer&quot;:&quot;001191110108MA01KP2T5U00000&quot;,&quot;ProduceID&quot;:&quot;20250901-abc&quot;,&quot;ReservedCode1&quot;:&quot;&quot;,&quot;ContentPropagator&quot;:&quot;&quot;,&quot;PropagateID&quot;:&quot;&quot;,&quot;ReservedCode2&quot;:&quot;&quot;}"/>`);

/** Content Credentials stripped from the file but still pointed to from XMP. */
export const PROVENANCE_XMP = xmpPacket(`
  <rdf:Description rdf:about="" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
      xmp:CreatorTool="Adobe Photoshop 25.0 (Windows)"
      dcterms:provenance="https://cai-manifests.adobe.com/manifests/adobe-urn-uuid-0b1c2d3e"/>`);

/** A real photo's XMP: editing software and a caption, nothing about AI. */
export const PHOTO_XMP = xmpPacket(`
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
      xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
      xmp:CreatorTool="Adobe Photoshop Lightroom Classic 13.1 (Windows)" photoshop:Credit="Reuters"
      Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"/>`);

export function xmpPacket(descriptions: string): string {
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 6.0.0">\n' +
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    descriptions +
    '\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
  );
}

// ---------------------------------------------------------------- pictures

/** A sunset over hills: smooth gradients, a disc and an edge, so that nothing about it is flat. */
export function scenery(width: number, height: number): RgbImage {
  return makeImage(width, height, (x, y) => {
    const u = x / width;
    const v = y / height;
    const hill = 0.62 + 0.08 * Math.sin(u * 9) + 0.04 * Math.sin(u * 23 + 1);
    if (v > hill) {
      const shade = 60 + 40 * Math.sin(u * 40 + v * 17);
      return [Math.round(shade * 0.4), Math.round(shade), Math.round(shade * 0.3)];
    }
    const sun = Math.hypot(u - 0.7, v - 0.45) < 0.09;
    if (sun) return [255, 230, 140];
    return [Math.round(250 - 80 * v), Math.round(120 + 60 * v), Math.round(90 + 140 * v)];
  });
}

const SMALL = 64;

// ---------------------------------------------------------------- PNG

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeAndData = concat([latin1(type), data]);
  return concat([u32be(data.length), typeAndData, u32be(crc32(typeAndData))]);
}

/** tEXt is Latin-1: Pillow writes text that is not Latin-1 as iTXt. */
export const tEXt = (key: string, text: string) => pngChunk('tEXt', concat([latin1(key), zero, latin1(text)]));
export const zTXt = (key: string, text: string | Uint8Array) =>
  pngChunk('zTXt', concat([latin1(key), zero, zero, deflateSync(typeof text === 'string' ? latin1(text) : text)]));
export const iTXt = (key: string, text: string, compressed: boolean) => {
  const body = compressed ? deflateSync(utf8(text)) : utf8(text);
  return pngChunk('iTXt', concat([latin1(key), zero, new Uint8Array([compressed ? 1 : 0, 0]), zero, zero, body]));
};

/** Inserts chunks into a PNG, before the first IDAT or after the last one (Pillow puts text before, some tools after). */
export function insertPngChunks(
  png: Uint8Array,
  chunks: Uint8Array[],
  where: 'before-idat' | 'after-idat' = 'before-idat',
): Uint8Array {
  const offsets: { type: string; start: number }[] = [];
  for (let pos = 8; pos < png.length;) {
    const length = new DataView(png.buffer, png.byteOffset + pos).getUint32(0);
    offsets.push({ type: String.fromCharCode(...png.subarray(pos + 4, pos + 8)), start: pos });
    pos += 12 + length;
  }
  const at =
    where === 'before-idat'
      ? offsets.find((chunk) => chunk.type === 'IDAT')!.start
      : offsets.find((chunk) => chunk.type === 'IEND')!.start;
  return concat([png.subarray(0, at), ...chunks, png.subarray(at)]);
}

async function png(
  chunks: Uint8Array[],
  where: 'before-idat' | 'after-idat' = 'before-idat',
  image = scenery(SMALL, SMALL),
) {
  return insertPngChunks(new Uint8Array(await encode(image, 'png')), chunks, where);
}

/** For the e2e test: a 256×256 picture with the `parameters` tEXt chunk that A1111 writes, naming "dreamshaper_8". */
export async function pngWithA1111Parameters(): Promise<Uint8Array> {
  return png([tEXt('parameters', A1111_PARAMETERS)], 'before-idat', scenery(256, 256));
}

export const pngWithForgeZtxtAfterIdat = () => png([zTXt('parameters', FORGE_PARAMETERS)], 'after-idat');
/** Non-Latin-1 text makes Pillow write iTXt; compressed here to cover the compressed-iTXt path. */
export const pngWithA1111CompressedItxt = () =>
  png([iTXt('parameters', A1111_PARAMETERS.replace('lighthouse', 'lighthouse 灯台'), true)]);
export const pngWithComfyUi = () => png([tEXt('prompt', COMFYUI_PROMPT), tEXt('workflow', COMFYUI_WORKFLOW)]);
export const pngWithComfyUiWorkflowOnly = () => png([tEXt('workflow', COMFYUI_WORKFLOW)]);
export const pngWithInvokeAi = () =>
  png([tEXt('invokeai_metadata', INVOKEAI_METADATA), tEXt('invokeai_graph', '{"id":"graph"}')]);
export const pngWithInvokeAiLegacy = () =>
  png([
    tEXt(
      'sd-metadata',
      JSON.stringify({
        model: 'stable diffusion',
        model_weights: 'stable-diffusion-1.5',
        app_id: 'invoke-ai/InvokeAI',
        image: { prompt: [{ prompt: 'a castle in the clouds', weight: 1 }], sampler: 'k_lms', steps: 50 },
      }),
    ),
    tEXt('Dream', '"a castle in the clouds" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms'),
  ]);
export const pngWithNovelAi = () =>
  png([
    tEXt('Title', 'AI generated image'),
    tEXt('Description', '1girl, solo, silver hair, starry sky, night, masterpiece'),
    tEXt('Software', 'NovelAI'),
    tEXt('Source', 'NovelAI Diffusion V3 7BCCAA2C'),
    tEXt('Generation time', '2.91'),
    tEXt('Comment', NOVELAI_COMMENT),
  ]);
export const pngWithFooocus = () => png([tEXt('parameters', FOOOCUS_PARAMETERS), tEXt('fooocus_scheme', 'fooocus')]);
export const pngWithMidjourney = () =>
  png([
    tEXt('Author', 'someuser'),
    tEXt('Description', MIDJOURNEY_DESCRIPTION),
    tEXt('Creation Time', '2025-05-01T10:00:00Z'),
  ]);
export const pngWithGeminiXmp = () => png([iTXt('XML:com.adobe.xmp', GEMINI_XMP, false)]);
/** XMP in a plain tEXt chunk, which exifr and ExifReader return only as a raw string. */
export const pngWithXmpInText = () => png([tEXt('XML:com.adobe.xmp', IPTC_AI_XMP)]);
/** ImageMagick's hex "Raw profile type xmp" in a zTXt chunk. */
export const pngWithRawProfileXmp = () => {
  const bytes = utf8(TC260_XMP);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .replace(/(.{72})/g, '$1\n');
  return png([zTXt('Raw profile type xmp', `\nxmp\n${String(bytes.length).padStart(8)}\n${hex}\n`)]);
};
export const pngWithSoftware = (software: string) => png([tEXt('Software', software)]);
/** sharp writes XMP into PNG as a zTXt chunk named XML:com.adobe.xmp. */
export const pngWithSharpXmp = async () =>
  new Uint8Array(
    await sharp(Buffer.from(scenery(SMALL, SMALL).data), { raw: { width: SMALL, height: SMALL, channels: 3 } })
      .withXmp(IPTC_AI_XMP_ELEMENTS)
      .png()
      .toBuffer(),
  );

/** A zTXt chunk that inflates to `inflatedBytes` zeros: a bomb, compressed about 1000:1. */
export async function zerosDeflated(inflatedBytes: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const block = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < inflatedBytes; written += block.length) {
    if (!deflate.write(block.subarray(0, Math.min(block.length, inflatedBytes - written)))) {
      await new Promise((resolve) => deflate.once('drain', resolve));
    }
  }
  deflate.end();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

export function rawZtxt(key: string, compressed: Uint8Array): Uint8Array {
  return pngChunk('zTXt', concat([latin1(key), zero, zero, compressed]));
}

export async function pngWithChunks(chunks: Uint8Array[]): Promise<Uint8Array> {
  return png(chunks);
}

// ---------------------------------------------------------------- EXIF (TIFF)

export interface TiffEntry {
  tag: number;
  /** 1 BYTE, 2 ASCII, 4 LONG, 7 UNDEFINED */
  type: 1 | 2 | 4 | 7;
  /** The value as stored, in the block's byte order. */
  bytes: Uint8Array;
}

export const asciiEntry = (tag: number, text: string): TiffEntry => ({
  tag,
  type: 2,
  bytes: concat([utf8(text), zero]),
});
export const undefinedEntry = (tag: number, bytes: Uint8Array): TiffEntry => ({ tag, type: 7, bytes });

/** A TIFF block: IFD0, then an Exif sub-IFD when there are Exif entries (the layout piexif.dump writes). */
export function tiff(order: 'II' | 'MM', ifd0: TiffEntry[], exif: TiffEntry[] = []): Uint8Array {
  const little = order === 'II';
  const u16 = (value: number) => {
    const bytes = new Uint8Array(2);
    new DataView(bytes.buffer).setUint16(0, value, little);
    return bytes;
  };
  const u32 = (value: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, little);
    return bytes;
  };
  const padded = (bytes: Uint8Array) => concat([bytes, new Uint8Array(bytes.length & 1)]);
  const tableLength = (entries: TiffEntry[]) => 2 + 12 * entries.length + 4;
  const writeIfd = (entries: TiffEntry[], start: number) => {
    const rows: Uint8Array[] = [];
    const data: Uint8Array[] = [];
    let dataAt = start + tableLength(entries);
    for (const entry of [...entries].sort((a, b) => a.tag - b.tag)) {
      const count = entry.type === 4 ? entry.bytes.length / 4 : entry.bytes.length;
      let value = concat([entry.bytes, new Uint8Array(Math.max(0, 4 - entry.bytes.length))]);
      if (entry.bytes.length > 4) {
        value = u32(dataAt);
        data.push(padded(entry.bytes));
        dataAt += padded(entry.bytes).length;
      }
      rows.push(concat([u16(entry.tag), u16(entry.type), u32(count), value]));
    }
    return concat([u16(entries.length), ...rows, u32(0), ...data]);
  };
  const placeholder: TiffEntry = { tag: 0x8769, type: 4, bytes: u32(0) };
  const first = exif.length ? [...ifd0, placeholder] : ifd0;
  const exifOffset = 8 + writeIfd(first, 8).length;
  const withPointer = exif.length ? [...ifd0, { ...placeholder, bytes: u32(exifOffset) }] : ifd0;
  const header = concat([latin1(order), u16(42), u32(8)]);
  return concat([header, writeIfd(withPointer, 8), ...(exif.length ? [writeIfd(exif, exifOffset)] : [])]);
}

/** piexif.helper.UserComment.dump(text, encoding="unicode"): "UNICODE\0" and UTF-16 big-endian, in any file. */
export function unicodeUserComment(text: string): Uint8Array {
  const body = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    body[2 * i] = text.charCodeAt(i) >> 8;
    body[2 * i + 1] = text.charCodeAt(i) & 0xff;
  }
  return concat([latin1('UNICODE\0'), body]);
}

/** What A1111 writes for JPEG and WebP: piexif.dump({"Exif": {UserComment: …}}), big-endian, "Exif\0\0" first. */
export function a1111Exif(parameters: string): Uint8Array {
  return concat([latin1('Exif\0\0'), tiff('MM', [], [undefinedEntry(0x9286, unicodeUserComment(parameters))])]);
}

// ---------------------------------------------------------------- JPEG

export const jpegSegment = (marker: number, data: Uint8Array) =>
  concat([new Uint8Array([0xff, marker]), u16be(data.length + 2), data]);
export const app1Xmp = (packet: string) =>
  jpegSegment(0xe1, concat([latin1('http://ns.adobe.com/xap/1.0/\0'), utf8(packet)]));

/** Inserts segments right after SOI (and after an APP0 JFIF header, if any). */
export function insertJpegSegments(jpeg: Uint8Array, segments: Uint8Array[]): Uint8Array {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at += 2 + ((jpeg[4]! << 8) | jpeg[5]!);
  return concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}

async function jpeg(segments: Uint8Array[]) {
  return insertJpegSegments(new Uint8Array(await encode(scenery(SMALL, SMALL), 'jpeg')), segments);
}

export const jpegWithA1111UserComment = () => jpeg([jpegSegment(0xe1, a1111Exif(A1111_PARAMETERS))]);
/** Fooocus through Pillow: JSON straight in UserComment (no character code), Software "Fooocus v2.5.5", little-endian. */
export const jpegWithFooocusExif = () =>
  jpeg([
    jpegSegment(
      0xe1,
      concat([
        latin1('Exif\0\0'),
        tiff(
          'II',
          [asciiEntry(0x0131, 'Fooocus v2.5.5')],
          [undefinedEntry(0x9286, utf8(FOOOCUS_PARAMETERS)), undefinedEntry(0x927c, utf8('fooocus'))],
        ),
      ]),
    ),
  ]);
export const jpegWithIptcXmp = () => jpeg([app1Xmp(IPTC_AI_XMP)]);
export const jpegWithProvenanceXmp = () => jpeg([app1Xmp(PROVENANCE_XMP)]);
export const jpegWithPhotoMetadata = () =>
  jpeg([
    jpegSegment(
      0xe1,
      concat([
        latin1('Exif\0\0'),
        tiff('II', [
          asciiEntry(0x010f, 'Google'),
          asciiEntry(0x0110, 'Pixel 8 Pro'),
          asciiEntry(0x0131, 'HDR+ 1.0.641377693zd'),
        ]),
      ]),
    ),
    app1Xmp(PHOTO_XMP),
    jpegSegment(0xfe, latin1('Generated by  IJG JPEG Library')),
  ]);
export const jpegWithSoftware = (software: string, order: 'II' | 'MM' = 'II') =>
  jpeg([jpegSegment(0xe1, concat([latin1('Exif\0\0'), tiff(order, [asciiEntry(0x0131, software)])]))]);
/** Windows' XPComment (UTF-16LE bytes) and ImageDescription. */
export const jpegWithXpComment = (comment: string) => {
  const body = new Uint8Array(comment.length * 2 + 2);
  for (let i = 0; i < comment.length; i++) new DataView(body.buffer).setUint16(2 * i, comment.charCodeAt(i), true);
  return jpeg([
    jpegSegment(
      0xe1,
      concat([
        latin1('Exif\0\0'),
        tiff('MM', [{ tag: 0x9c9c, type: 1, bytes: body }, asciiEntry(0x010e, 'holiday photo')]),
      ]),
    ),
  ]);
};
export const jpegWithComment = (comment: string) => jpeg([jpegSegment(0xfe, utf8(comment))]);

/** Extended XMP: the main packet points to a second one that is split over several segments, here out of order. */
export function jpegWithExtendedXmp(): Promise<Uint8Array> {
  const extension = xmpPacket(`
  <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
   <Iptc4xmpExt:AIPromptInformation>${'a very long prompt, '.repeat(40)}the end</Iptc4xmpExt:AIPromptInformation>
  </rdf:Description>`);
  const extensionBytes = utf8(extension);
  const guid = createHash('md5').update(extensionBytes).digest('hex').toUpperCase();
  const main = xmpPacket(`
  <rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/"
      xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
      xmpNote:HasExtendedXMP="${guid}" Iptc4xmpExt:DigitalSourceType="${TRAINED_ALGORITHMIC_MEDIA}"/>`);
  const part = (offset: number, end: number) =>
    jpegSegment(
      0xe1,
      concat([
        latin1('http://ns.adobe.com/xmp/extension/\0'),
        latin1(guid),
        u32be(extensionBytes.length),
        u32be(offset),
        extensionBytes.subarray(offset, end),
      ]),
    );
  const half = extensionBytes.length >> 1;
  return jpeg([app1Xmp(main), part(half, extensionBytes.length), part(0, half)]);
}

// ---------------------------------------------------------------- WebP

const riffChunk = (type: string, data: Uint8Array) =>
  concat([latin1(type), u32le(data.length), data, new Uint8Array(data.length & 1)]);

/** An extended (VP8X) WebP with EXIF and/or XMP chunks after the image, flags set as libwebp does. */
export async function webpWith(chunks: { exif?: Uint8Array; xmp?: string }): Promise<Uint8Array> {
  const simple = new Uint8Array(await encode(scenery(SMALL, SMALL), 'webp'));
  const flags = (chunks.exif ? 0x08 : 0) | (chunks.xmp ? 0x04 : 0);
  const vp8x = riffChunk('VP8X', concat([new Uint8Array([flags, 0, 0, 0]), u24le(SMALL - 1), u24le(SMALL - 1)]));
  const body = concat([
    latin1('WEBP'),
    vp8x,
    simple.subarray(12),
    ...(chunks.exif ? [riffChunk('EXIF', chunks.exif)] : []),
    ...(chunks.xmp ? [riffChunk('XMP ', utf8(chunks.xmp))] : []),
  ]);
  return concat([latin1('RIFF'), u32le(body.length), body]);
}

/** A1111's WebP: Pillow's exif= takes piexif's bytes, "Exif\0\0" header included. */
export const webpWithA1111Exif = () => webpWith({ exif: a1111Exif(A1111_PARAMETERS) });
/** The WebP container spec's way: the TIFF header first, no "Exif\0\0". */
export const webpWithBareExifAndXmp = () =>
  webpWith({ exif: tiff('II', [asciiEntry(0x0131, 'Image Creator from Designer')]), xmp: IPTC_AI_XMP_ELEMENTS });
/** ComfyUI's SaveAnimatedWEBP: the workflow in EXIF Make and the API prompt in Model, each prefixed with its name. */
export const webpWithComfyUiExif = () =>
  webpWith({
    exif: concat([
      latin1('Exif\0\0'),
      tiff('II', [asciiEntry(0x010f, `workflow:${COMFYUI_WORKFLOW}`), asciiEntry(0x0110, `prompt:${COMFYUI_PROMPT}`)]),
    ]),
  });

// ---------------------------------------------------------------- AVIF / HEIF

/** sharp 0.35 writes XMP (a "mime" item, application/rdf+xml) and EXIF (an "Exif" item) into AVIF. */
export async function avifWithSharpMetadata(xmp: string, software?: string): Promise<Uint8Array> {
  const image = scenery(SMALL, SMALL);
  let pipeline = sharp(Buffer.from(image.data), { raw: { width: SMALL, height: SMALL, channels: 3 } }).withXmp(xmp);
  if (software) pipeline = pipeline.withExif({ IFD0: { Software: software } });
  return new Uint8Array(await pipeline.avif({ quality: 40 }).toBuffer());
}

export const bmffBox = (type: string, payload: Uint8Array) =>
  concat([u32be(8 + payload.length), latin1(type), payload]);
const fullBox = (type: string, version: number, payload: Uint8Array) =>
  bmffBox(type, concat([new Uint8Array([version, 0, 0, 0]), payload]));

/** An AVIF with XMP in a top-level uuid box (the ISOBMFF XMP uuid), as some tools write it, instead of an item. */
export async function avifWithUuidXmp(xmp: string): Promise<Uint8Array> {
  const avif = new Uint8Array(await encode(scenery(SMALL, SMALL), 'avif'));
  const uuid = Uint8Array.from(Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'));
  return concat([avif, bmffBox('uuid', concat([uuid, utf8(xmp)]))]);
}

/** A bare HEIF structure: ftyp and a meta box whose XMP item lives in idat (iloc version 1, construction method 1). */
export function heifWithIdatXmp(xmp: string): Uint8Array {
  const packet = utf8(xmp);
  const infe = fullBox(
    'infe',
    2,
    concat([u16be(1), u16be(0), latin1('mime'), zero, latin1('application/rdf+xml'), zero]),
  );
  const iinf = fullBox('iinf', 0, concat([u16be(1), infe]));
  // offset and length 4 bytes, no base offset, no index; one item, construction method 1, one extent
  const iloc = fullBox(
    'iloc',
    1,
    concat([
      new Uint8Array([0x44, 0x00]),
      u16be(1),
      u16be(1),
      u16be(1),
      u16be(0),
      u16be(1),
      u32be(0),
      u32be(packet.length),
    ]),
  );
  const hdlr = fullBox('hdlr', 0, concat([u32be(0), latin1('pict'), new Uint8Array(12), zero]));
  const meta = fullBox('meta', 0, concat([hdlr, iinf, iloc, bmffBox('idat', packet)]));
  const ftyp = bmffBox('ftyp', concat([latin1('heic'), u32be(0), latin1('mif1heic')]));
  return concat([ftyp, meta]);
}

// ---------------------------------------------------------------- all of them

/** Every built file, for the tests that run over all of them (no-throw, fuzz). */
export async function allMetadataFiles(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const builders: [string, () => Promise<Uint8Array> | Uint8Array][] = [
    ['png A1111 tEXt', pngWithA1111Parameters],
    ['png Forge zTXt after IDAT', pngWithForgeZtxtAfterIdat],
    ['png A1111 compressed iTXt', pngWithA1111CompressedItxt],
    ['png ComfyUI', pngWithComfyUi],
    ['png InvokeAI', pngWithInvokeAi],
    ['png InvokeAI legacy', pngWithInvokeAiLegacy],
    ['png NovelAI', pngWithNovelAi],
    ['png Fooocus', pngWithFooocus],
    ['png Midjourney', pngWithMidjourney],
    ['png Gemini XMP', pngWithGeminiXmp],
    ['png XMP in tEXt', pngWithXmpInText],
    ['png raw profile XMP', pngWithRawProfileXmp],
    ['png sharp XMP', pngWithSharpXmp],
    ['jpeg A1111 UserComment', jpegWithA1111UserComment],
    ['jpeg Fooocus EXIF', jpegWithFooocusExif],
    ['jpeg IPTC XMP', jpegWithIptcXmp],
    ['jpeg extended XMP', jpegWithExtendedXmp],
    ['jpeg photo', jpegWithPhotoMetadata],
    ['webp A1111 EXIF', webpWithA1111Exif],
    ['webp bare EXIF and XMP', webpWithBareExifAndXmp],
    ['webp ComfyUI EXIF', webpWithComfyUiExif],
    ['avif sharp XMP and EXIF', () => avifWithSharpMetadata(IPTC_AI_XMP, 'Midjourney')],
    ['avif uuid XMP', () => avifWithUuidXmp(GEMINI_XMP)],
    ['heif idat XMP', () => heifWithIdatXmp(TC260_XMP)],
  ];
  return Promise.all(builders.map(async ([name, build]) => ({ name, bytes: await build() })));
}

// ---------------------------------------------------------------- real files in ../shared/datasets

export const SHARED_DATASETS = dirname(sharedManifestPath());

/**
 * Real files to run the readers on: the C2PA fixtures (other containers, XMP with dcterms:provenance) and camera or
 * web photos that must not read as AI. Empty when ../shared is absent.
 */
export function sharedMetadataFiles(): { path: string; name: string; photo: boolean }[] {
  const folders: [string, (name: string) => boolean, boolean][] = [
    ['provenance/c2pa', (name) => name !== 'README.md', false],
    ['real/faces-web', () => true, true],
    ['real/camera-exif', () => true, true],
    ['real/debian-misc', (name) => name.endsWith('.png'), true],
    ['real/debian-opencv-samples', (name) => name === 'opencv_data_chicky_512.png', true],
  ];
  return folders.flatMap(([folder, wanted, photo]) => {
    const dir = join(SHARED_DATASETS, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter(wanted)
      .sort()
      .map((name) => ({ path: join(dir, name), name: `${folder}/${name}`, photo }));
  });
}

// ---------------------------------------------------------------- bytes

const zero = new Uint8Array([0]);
const textEncoder = new TextEncoder();
const utf8 = (text: string) => textEncoder.encode(text);
const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
const u16be = (value: number) => new Uint8Array([value >> 8, value & 0xff]);
const u32be = (value: number) =>
  new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
const u32le = (value: number) =>
  new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24]);
const u24le = (value: number) => new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff]);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
