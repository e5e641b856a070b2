/**
 * Generation records: the metadata that generation tools write about their own output (prompt, model, sampler).
 * A1111/Forge and Fooocus `parameters`, ComfyUI `prompt`/`workflow`, InvokeAI, NovelAI, SwarmUI, Midjourney's
 * "Job ID" description; in PNG text chunks, or in EXIF fields of JPEG and WebP files. Malformed input is "no record".
 */
import type { TextPiece } from './containers.ts';
import type { GeneratorReading } from './index.ts';

export const A1111_TOOL = 'Stable Diffusion web UI (AUTOMATIC1111/Forge)';
const MAX_PROMPT_CHARS = 500;
const MAX_NAME_CHARS = 200;
/** ComfyUI graphs can hold hundreds of nodes; past this it is not a graph we can name anything from. */
const MAX_NODES = 5000;
/** An A1111 parameter line is a few KB even with LoRA and hires settings. */
const MAX_PARAMETER_LINE_CHARS = 64 * 1024;

interface Details {
  model?: unknown;
  sampler?: unknown;
  prompt?: unknown;
}

export function readGenerationRecord(texts: readonly TextPiece[]): GeneratorReading | undefined {
  const byKey = (key: string) => texts.find((piece) => piece.key.toLowerCase() === key);
  return (
    novelAi(byKey) ??
    comfyUi(texts) ??
    invokeAi(byKey) ??
    jsonParameters(texts, byKey) ??
    a1111(texts) ??
    midjourney(texts)
  );
}

type ByKey = (key: string) => TextPiece | undefined;

// ---------------------------------------------------------------- NovelAI

/** NovelAI: Software "NovelAI", Source = the model, Comment = JSON with the prompt and sampler. */
function novelAi(byKey: ByKey): GeneratorReading | undefined {
  const software = byKey('software');
  if (!software || !/^\s*NovelAI\s*$/i.test(software.text)) return undefined;
  const comment = byKey('comment');
  const json = record(parseJson(comment?.text));
  if (!comment || !json) return undefined; // a bare Software field is only a name
  const v4Caption = record(record(json.v4_prompt)?.caption)?.base_caption;
  return reading('NovelAI', comment.where, {
    model: byKey('source')?.text,
    sampler: json.sampler,
    prompt: json.prompt ?? v4Caption ?? byKey('description')?.text,
  });
}

// ---------------------------------------------------------------- ComfyUI

/** ComfyUI: `prompt` is the API graph, `workflow` the editor's. WebP/JPEG: EXIF Make/Model, as "prompt:{…}". */
function comfyUi(texts: readonly TextPiece[]): GeneratorReading | undefined {
  const promptPiece = comfyPiece(texts, 'prompt');
  const workflowPiece = comfyPiece(texts, 'workflow');
  const fromApi = promptPiece && readComfyApi(record(parseJson(promptPiece.json)));
  const fromEditor = workflowPiece && readComfyWorkflow(record(parseJson(workflowPiece.json)));
  const where = (fromApi ? promptPiece : fromEditor ? workflowPiece : undefined)?.piece.where;
  if (!where) return undefined;
  return reading('ComfyUI', where, {
    model: fromApi?.model ?? fromEditor?.model,
    sampler: fromApi?.sampler ?? fromEditor?.sampler,
    prompt: fromApi?.prompt ?? fromEditor?.prompt,
  });
}

function comfyPiece(texts: readonly TextPiece[], name: string): { piece: TextPiece; json: string } | undefined {
  for (const piece of texts) {
    if (piece.key.toLowerCase() === name) return { piece, json: piece.text };
    if (piece.text.startsWith(`${name}:`)) return { piece, json: piece.text.slice(name.length + 1) };
  }
  return undefined;
}

interface ApiNode {
  classType: string;
  inputs: Record<string, unknown>;
}

const LOADER = /checkpoint|unet|diffusion|model ?loader/i;
const SAMPLER_NODE = /sampler/i;
const TEXT_ENCODER = /CLIPTextEncode|TextEncode/i;

function readComfyApi(graph: Record<string, unknown> | undefined): Details | undefined {
  if (!graph) return undefined;
  const nodes = new Map<string, ApiNode>();
  for (const [id, value] of Object.entries(graph).slice(0, MAX_NODES)) {
    const node = record(value);
    if (typeof node?.class_type === 'string')
      nodes.set(id, { classType: node.class_type, inputs: record(node.inputs) ?? {} });
  }
  if (nodes.size === 0) return undefined;
  const all = [...nodes.values()];
  const model =
    firstString(all, (node) => node.inputs.ckpt_name) ??
    firstString(all, (node) => node.inputs.unet_name) ??
    firstString(all, (node) => (LOADER.test(node.classType) ? node.inputs.model_name : undefined));
  const sampler = firstString(all, (node) =>
    SAMPLER_NODE.test(node.classType) ? node.inputs.sampler_name : undefined,
  );
  // The positive prompt is the text that reaches the sampler's "positive" input, through a few nodes at most.
  const positive = all.find((node) => SAMPLER_NODE.test(node.classType) && isLink(node.inputs.positive))?.inputs
    .positive;
  const prompt =
    (isLink(positive) ? followText(nodes, positive[0], 0) : undefined) ??
    firstString(all, (node) =>
      TEXT_ENCODER.test(node.classType) ? (node.inputs.text ?? node.inputs.text_g) : undefined,
    );
  return { model: modelName(model), sampler, prompt };
}

const TEXT_INPUTS = ['text', 'text_g', 'prompt', 'string', 'value', 'conditioning', 'conditioning_1', 'positive'];

function followText(nodes: Map<string, ApiNode>, id: unknown, depth: number): string | undefined {
  const node = nodes.get(String(id));
  if (!node || depth > 6) return undefined;
  for (const input of TEXT_INPUTS) {
    const value = node.inputs[input];
    if (typeof value === 'string' && value.trim()) return value;
    if (isLink(value)) {
      const text = followText(nodes, value[0], depth + 1);
      if (text) return text;
    }
  }
  return undefined;
}

/** A link in the API graph: [source node id, output index]. */
function isLink(value: unknown): value is [string | number, number] {
  return Array.isArray(value) && value.length === 2 && (typeof value[0] === 'string' || typeof value[0] === 'number');
}

interface EditorNode {
  id: unknown;
  type: string;
  widgets: unknown[];
  inputs: unknown[];
}

/** Widget values that are sampler-node options, not the sampler's name. */
const NOT_A_SAMPLER = new Set(['randomize', 'fixed', 'increment', 'decrement', 'enable', 'disable']);

function readComfyWorkflow(workflow: Record<string, unknown> | undefined): Details | undefined {
  if (!workflow || !Array.isArray(workflow.nodes)) return undefined;
  const nodes: EditorNode[] = [];
  for (const value of workflow.nodes.slice(0, MAX_NODES)) {
    const node = record(value);
    if (typeof node?.type !== 'string') continue;
    nodes.push({
      id: node.id,
      type: node.type,
      widgets: Array.isArray(node.widgets_values) ? node.widgets_values : [],
      inputs: Array.isArray(node.inputs) ? node.inputs : [],
    });
  }
  if (nodes.length === 0) return undefined;
  const samplerNode = nodes.find((node) => /^KSampler/i.test(node.type));
  const sampler = samplerNode?.widgets.find((value) => typeof value === 'string' && !NOT_A_SAMPLER.has(value));
  const model = firstString(nodes, (node) => (LOADER.test(node.type) ? node.widgets[0] : undefined));
  const positiveSource = samplerNode && linkSource(workflow.links, samplerNode.inputs, 'positive');
  const positiveNode = nodes.find((node) => positiveSource !== undefined && node.id === positiveSource);
  const prompt =
    (positiveNode && TEXT_ENCODER.test(positiveNode.type) ? positiveNode.widgets[0] : undefined) ??
    firstString(nodes, (node) => (TEXT_ENCODER.test(node.type) ? node.widgets[0] : undefined));
  return { model: modelName(model), sampler, prompt };
}

/** The node feeding a named input: links are [id, from node, from slot, to node, to slot, type] or {id, origin_id}. */
function linkSource(links: unknown, inputs: unknown[], name: string): unknown {
  const linkId = inputs.map(record).find((input) => input?.name === name)?.link;
  if (linkId === undefined || linkId === null || !Array.isArray(links)) return undefined;
  for (const link of links.slice(0, MAX_NODES * 4)) {
    if (Array.isArray(link) && link[0] === linkId) return link[1];
    const asRecord = record(link);
    if (asRecord && asRecord.id === linkId) return asRecord.origin_id;
  }
  return undefined;
}

// ---------------------------------------------------------------- InvokeAI

/** InvokeAI: `invokeai_metadata` (3.x+), `sd-metadata` (2.x) or the `Dream` command line (1.x). */
function invokeAi(byKey: ByKey): GeneratorReading | undefined {
  const current = byKey('invokeai_metadata');
  const json = record(parseJson(current?.text));
  if (current && json) {
    const model = record(json.model);
    return reading('InvokeAI', current.where, {
      model: model ? (model.name ?? model.model_name) : json.model,
      sampler: json.scheduler,
      prompt: json.positive_prompt,
    });
  }
  const legacy = byKey('sd-metadata');
  const legacyJson = record(parseJson(legacy?.text));
  if (legacy && legacyJson) {
    const image = record(legacyJson.image);
    const prompts = image?.prompt;
    const prompt = Array.isArray(prompts) ? record(prompts[0])?.prompt : prompts;
    return reading('InvokeAI', legacy.where, { model: legacyJson.model_weights, sampler: image?.sampler, prompt });
  }
  const dream = byKey('dream');
  if (dream) {
    // "a prompt" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms
    const prompt = /^\s*"((?:[^"\\]|\\.)*)"/.exec(dream.text)?.[1];
    return reading('InvokeAI', dream.where, { sampler: /\s-A\s*(\S+)/.exec(dream.text)?.[1], prompt });
  }
  const graph = byKey('invokeai_graph');
  return graph ? reading('InvokeAI', graph.where, {}) : undefined;
}

// ---------------------------------------------------------------- JSON `parameters`: Fooocus, SwarmUI

/** Fooocus writes JSON in `parameters` (PNG) or in EXIF UserComment (JPEG/WebP, with Software "Fooocus v…"). */
function jsonParameters(texts: readonly TextPiece[], byKey: ByKey): GeneratorReading | undefined {
  const fooocusScheme = byKey('fooocus_scheme') !== undefined || /^\s*Fooocus\b/i.test(byKey('software')?.text ?? '');
  for (const piece of texts) {
    if (!/^(parameters|comment|usercomment)$/i.test(piece.key) || !piece.text.trimStart().startsWith('{')) continue;
    const json = record(parseJson(piece.text));
    if (!json) continue;
    const swarm = record(json.sui_image_params);
    if (swarm)
      return reading('SwarmUI', piece.where, { model: swarm.model, sampler: swarm.sampler, prompt: swarm.prompt });
    const version = json.version ?? json.Version;
    if (fooocusScheme || (typeof version === 'string' && /fooocus/i.test(version)) || 'metadata_scheme' in json) {
      const fullPrompt = Array.isArray(json.full_prompt) ? json.full_prompt[0] : undefined;
      return reading('Fooocus', piece.where, {
        model: modelName(json.base_model ?? json['Base Model']),
        sampler: json.sampler ?? json.Sampler,
        prompt: json.prompt ?? json.Prompt ?? fullPrompt,
      });
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- A1111 / Forge

/**
 * The A1111 "infotext": prompt lines, an optional "Negative prompt: …" line, then one line of "Key: value" pairs
 * starting with "Steps: <n>". Forge, Fooocus (its A1111 scheme) and many ComfyUI save nodes write the same format.
 * Found in PNG `parameters` and in EXIF UserComment (JPEG/WebP), but any text field may carry it.
 */
function a1111(texts: readonly TextPiece[]): GeneratorReading | undefined {
  const ordered = [...texts].sort((a, b) => Number(b.key === 'parameters') - Number(a.key === 'parameters'));
  for (const piece of ordered) {
    const parsed = parseInfotext(piece.text);
    if (!parsed) continue;
    const version = parsed.params.get('Version') ?? '';
    const tool = /^Fooocus/i.test(version) ? 'Fooocus' : /^ComfyUI/i.test(version) ? 'ComfyUI' : A1111_TOOL;
    const hash = parsed.params.get('Model hash');
    return reading(tool, piece.where, {
      model: parsed.params.get('Model') ?? (hash ? `hash ${hash}` : undefined),
      sampler: parsed.params.get('Sampler'),
      prompt: parsed.prompt,
    });
  }
  return undefined;
}

const STEPS = /(?:^|,\s*)Steps:\s*\d+\s*(?:,|$)/;

export function parseInfotext(text: string): { prompt: string; params: Map<string, string> } | undefined {
  if (!text.includes('Steps:')) return undefined;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // The last line with "Steps: <n>": extensions (dynamic prompts) append lines after it.
  let index = lines.length - 1;
  while (index >= 0 && !(lines[index]!.length <= MAX_PARAMETER_LINE_CHARS && STEPS.test(lines[index]!))) index--;
  if (index < 0) return undefined;
  const params = parseParameterLine(lines[index]!);
  if (params.size < 3) return undefined;
  const before = lines.slice(0, index);
  const negative = before.findIndex((line) => line.startsWith('Negative prompt:'));
  const prompt = (negative < 0 ? before : before.slice(0, negative)).join('\n').trim();
  return { prompt, params };
}

/**
 * "Steps: 20, Sampler: Euler a, Lora hashes: "a: 1, b: 2", Model: x" → a map. A linear scan rather than A1111's
 * regular expression, which backtracks quadratically on a long line without a colon.
 */
function parseParameterLine(line: string): Map<string, string> {
  const params = new Map<string, string>();
  let at = 0;
  while (at < line.length && params.size < 200) {
    const colon = line.indexOf(':', at);
    if (colon < 0) break;
    const key = line.slice(at, colon).trim();
    let start = colon + 1;
    while (line[start] === ' ') start++;
    let value: string;
    let next: number;
    if (line[start] === '"') {
      let end = start + 1;
      while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
      value = line.slice(start + 1, end).replace(/\\(.)/g, '$1');
      next = line.indexOf(',', end);
    } else {
      next = line.indexOf(',', start);
      value = line.slice(start, next < 0 ? line.length : next).trim();
    }
    if (/^\w[\w \-/]*$/.test(key) && !params.has(key)) params.set(key, value);
    if (next < 0) break;
    at = next + 1;
  }
  return params;
}

// ---------------------------------------------------------------- Midjourney

/** Midjourney's PNG Description: the prompt with its --flags, then "Job ID: <uuid>". */
function midjourney(texts: readonly TextPiece[]): GeneratorReading | undefined {
  for (const piece of texts) {
    if (!/description/i.test(piece.key)) continue;
    const job = /\bJob ID:\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i.exec(piece.text);
    if (!job) continue;
    const prompt = piece.text.slice(0, job.index).trim();
    const version = /--(v|version|niji)\s+([\d.]+)/.exec(prompt);
    const model = version ? (version[1] === 'niji' ? `niji ${version[2]}` : `v${version[2]}`) : undefined;
    return reading('Midjourney', piece.where, { model, prompt });
  }
  return undefined;
}

// ---------------------------------------------------------------- helpers

function reading(tool: string, where: string, details: Details): GeneratorReading {
  const model = text(details.model, MAX_NAME_CHARS);
  const sampler = text(details.sampler, MAX_NAME_CHARS);
  const prompt = text(details.prompt, MAX_PROMPT_CHARS);
  return {
    tool,
    ...(model ? { model } : {}),
    ...(sampler ? { sampler } : {}),
    ...(prompt ? { prompt } : {}),
    where,
    kind: 'parameters',
  };
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const trimmed = String(value).trim();
  if (!trimmed) return undefined;
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/** "SDXL/dreamshaper_8.safetensors" → "dreamshaper_8", as A1111 names models. */
function modelName(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return (value.split(/[\\/]/).pop() ?? value).replace(/\.(safetensors|ckpt|pt|pth|bin|gguf|sft)$/i, '');
}

function firstString<T>(items: T[], pick: (item: T) => unknown): string | undefined {
  for (const item of items) {
    const value = pick(item);
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

function parseJson(json: string | undefined): unknown {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
