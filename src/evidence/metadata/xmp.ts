/**
 * The XMP properties that say how an image was made, read with regular expressions (DOMParser is not available in
 * Node, and a packet may be truncated). Namespace-aware enough: a property is found under whatever prefix the packet
 * binds to its namespace URI, in attribute form (`ns:Prop="v"`), element form (`<ns:Prop>v</ns:Prop>`, also holding an
 * rdf:Alt/Seq/Bag, whose first rdf:li is taken) or resource form (`<ns:Prop rdf:resource="v"/>`).
 */

export interface XmpFields {
  digitalSourceType?: string;
  aiSystemUsed?: string;
  aiSystemVersionUsed?: string;
  aiPromptInformation?: string;
  aiPromptWriterName?: string;
  creatorTool?: string;
  credit?: string;
  description?: string;
  creator?: string;
  /** dcterms:provenance, where C2PA puts the URL of a manifest kept outside the file. */
  provenance?: string;
  /** The `Label` of China's TC260 AIGC label (GB 45438-2025): "1" generated, "2" possibly, "3" suspected. */
  aigcLabel?: string;
}

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  iptcExt: 'http://iptc.org/std/Iptc4xmpExt/2008-02-29/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  tc260: 'http://www.tc260.org.cn/ns/AIGC/1.0/',
} as const;

/** The prefix each namespace usually has, used only when a (truncated or careless) packet never declares it. */
const USUAL_PREFIX: Record<string, string> = {
  [NS.rdf]: 'rdf',
  [NS.iptcExt]: 'Iptc4xmpExt',
  [NS.xmp]: 'xmp',
  [NS.photoshop]: 'photoshop',
  [NS.dc]: 'dc',
  [NS.dcterms]: 'dcterms',
  [NS.tc260]: 'TC260',
};

const PROPERTIES: { field: Exclude<keyof XmpFields, 'aigcLabel'>; ns: string; name: string }[] = [
  { field: 'digitalSourceType', ns: NS.iptcExt, name: 'DigitalSourceType' },
  { field: 'aiSystemUsed', ns: NS.iptcExt, name: 'AISystemUsed' },
  { field: 'aiSystemVersionUsed', ns: NS.iptcExt, name: 'AISystemVersionUsed' },
  { field: 'aiPromptInformation', ns: NS.iptcExt, name: 'AIPromptInformation' },
  { field: 'aiPromptWriterName', ns: NS.iptcExt, name: 'AIPromptWriterName' },
  { field: 'creatorTool', ns: NS.xmp, name: 'CreatorTool' },
  { field: 'credit', ns: NS.photoshop, name: 'Credit' },
  { field: 'description', ns: NS.dc, name: 'description' },
  { field: 'creator', ns: NS.dc, name: 'creator' },
  { field: 'provenance', ns: NS.dcterms, name: 'provenance' },
];

/** Longest value kept: prompts can be long, and a field is shown to people, not parsed further. */
const MAX_VALUE_CHARS = 2000;

export function readXmp(packet: string): XmpFields {
  const bindings = namespaceBindings(packet);
  const rdfPrefixes = prefixesFor(bindings, NS.rdf);
  const fields: XmpFields = {};
  for (const { field, ns, name } of PROPERTIES) {
    const value = readProperty(packet, prefixesFor(bindings, ns), name, rdfPrefixes);
    if (value) fields[field] = value.slice(0, MAX_VALUE_CHARS);
  }
  const aigc = readProperty(packet, prefixesFor(bindings, NS.tc260), 'AIGC', rdfPrefixes);
  const label = aigc === undefined ? undefined : aigcLabel(aigc);
  if (label) fields.aigcLabel = label;
  return fields;
}

/** prefix → normalised namespace URI, for every xmlns:prefix="uri" (scoping ignored: rebinding is very rare). */
function namespaceBindings(packet: string): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const match of packet.matchAll(/\bxmlns:([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const [, prefix = '', double, single] = match;
    if (!bindings.has(prefix)) bindings.set(prefix, normalNamespace(double ?? single ?? ''));
  }
  return bindings;
}

function prefixesFor(bindings: Map<string, string>, uri: string): string[] {
  const wanted = normalNamespace(uri);
  const prefixes: string[] = [];
  for (const [prefix, bound] of bindings) if (bound === wanted) prefixes.push(prefix);
  const usual = USUAL_PREFIX[uri];
  if (prefixes.length === 0 && usual && !bindings.has(usual)) prefixes.push(usual);
  return prefixes;
}

/** Writers differ on the trailing "/" or "#", and on http versus https. */
function normalNamespace(uri: string): string {
  return uri
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/[/#]+$/, '');
}

function readProperty(packet: string, prefixes: string[], name: string, rdfPrefixes: string[]): string | undefined {
  if (!packet.includes(name)) return undefined; // most packets lack most properties: skip the regexes
  for (const prefix of prefixes) {
    const qname = `${prefix}:${name}`;
    const attribute = attributeValue(packet, qname);
    if (attribute) return attribute;
    // element form, or resource form
    const openTag = pattern('open', qname, (q) => `<${q}(\\s[^>]*?)?(/?)>`);
    const open = openTag.exec(packet);
    if (!open) continue;
    const resource = rdfAttribute(open[1] ?? '', rdfPrefixes, 'resource');
    if (resource) return resource;
    if (open[2] === '/') continue;
    const contentStart = open.index + open[0].length;
    const close = packet.indexOf(`</${qname}`, contentStart);
    const content = packet.slice(contentStart, close < 0 ? packet.length : close);
    const value = clean(firstListItem(content, rdfPrefixes) ?? content);
    if (value) return value;
  }
  return undefined;
}

/** `qname="value"` as an attribute: preceded by whitespace or a quote, so that `x:Foo` is not found in `x:BarFoo`. */
function attributeValue(text: string, qname: string): string | undefined {
  const attribute = pattern('attribute', qname, (q) => `${q}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
  for (let match = attribute.exec(text); match; match = attribute.exec(text)) {
    if (!/[\s"']/.test(text[match.index - 1] ?? '')) continue;
    const value = clean(match[1] ?? match[2] ?? '');
    if (value) return value;
  }
  return undefined;
}

function rdfAttribute(attributes: string, rdfPrefixes: string[], name: string): string | undefined {
  for (const prefix of rdfPrefixes) {
    const value = attributeValue(` ${attributes}`, `${prefix}:${name}`);
    if (value) return value;
  }
  return undefined;
}

/** The first rdf:li of an rdf:Alt/Seq/Bag (for a language alternative, the first is the default "x-default"). */
function firstListItem(content: string, rdfPrefixes: string[]): string | undefined {
  for (const prefix of rdfPrefixes) {
    const qname = `${prefix}:li`;
    const match = pattern('open', qname, (q) => `<${q}(\\s[^>]*?)?(/?)>`).exec(content);
    if (!match) continue;
    if (match[2] === '/') return rdfAttribute(match[1] ?? '', rdfPrefixes, 'resource') ?? '';
    const start = match.index + match[0].length;
    const end = content.indexOf(`</${qname}`, start);
    return content.slice(start, end < 0 ? content.length : end);
  }
  return undefined;
}

/**
 * Compiling the patterns took most of the time on a typical packet, so they are kept, reset before each use.
 * Prefixes come from the file, so the cache is emptied now and then rather than allowed to grow.
 */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 256;

function pattern(kind: string, qname: string, source: (escapedQname: string) => string): RegExp {
  const key = `${kind} ${qname}`;
  let compiled = patterns.get(key);
  if (!compiled) {
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    compiled = new RegExp(source(escapeRegExp(qname)), 'g');
    patterns.set(key, compiled);
  }
  compiled.lastIndex = 0;
  return compiled;
}

/** Text of an XML fragment: CDATA unwrapped, tags dropped, entities decoded, whitespace trimmed. */
function clean(fragment: string): string | undefined {
  // CDATA text is escaped first, so that dropping the tags leaves it whole and decoding restores it.
  const escapedCdata = fragment.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, data: string) =>
    data.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
  );
  const text = decodeEntities(escapedCdata.replace(/<[^>]*>/g, '')).trim();
  return text || undefined;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos));/gi,
    (whole, decimal?: string, hex?: string, named?: string) => {
      if (named) return NAMED_ENTITIES[named.toLowerCase()] ?? whole;
      const codePoint = decimal ? Number(decimal) : parseInt(hex ?? '', 16);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
    },
  );
}

/** The TC260 AIGC value is JSON ({"Label":"1","ContentProducer":…}); a truncated one still shows its Label. */
function aigcLabel(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && 'Label' in parsed) {
      const label = (parsed as { Label: unknown }).Label;
      if (typeof label === 'string' || typeof label === 'number') return String(label).trim() || undefined;
    }
  } catch {
    // not JSON: fall through to the pattern
  }
  return /"Label"\s*:\s*"?(\w+)/.exec(value)?.[1];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
