/** Unsigned metadata: IPTC/XMP AI fields, generation-tool records (A1111, ComfyUI, …) and software fields naming a generator. */
import { type IptcReading, type MetadataReading, readMetadata } from './metadata/index.ts';
import type { Declaration, Signal } from './signal.ts';
import { sourceTypeTerm } from './source-types.ts';

const UNSIGNED = 'unsigned metadata: anyone can write or remove it';

export const metadataSignal: Signal<'metadata', MetadataReading> = {
  id: 'metadata',
  label: 'Metadata',
  from: 'file',
  read: (input) => readMetadata(input.bytes),
  declaration({ iptc, generator }): Declaration | undefined {
    // A generation record beats a source-type tag, which beats a free-text field that merely names a generator.
    if (generator?.kind === 'parameters') return declared(`${generator.tool} parameters${modelOf(generator.model)}`);
    if (iptc?.ai) return declared(iptcSource(iptc));
    if (generator) return declared(`${generator.where} names ${generator.tool}`);
    return undefined;
  },
  describe({ iptc, generator, provenanceRef }) {
    const parts: string[] = [];
    if (generator) {
      const extras = [generator.model && `model ${generator.model}`, generator.sampler && `sampler ${generator.sampler}`];
      parts.push(`${generator.tool} (${[generator.where, ...extras].filter(Boolean).join(', ')})`);
    }
    if (iptc?.digitalSourceType) parts.push(`IPTC source type ${sourceTypeTerm(iptc.digitalSourceType)}`);
    if (iptc?.aiSystemUsed) parts.push(`AI system ${iptc.aiSystemUsed}`);
    if (iptc?.credit) parts.push(`credit "${iptc.credit}"`);
    if (iptc?.aigcLabel) parts.push(`AIGC label ${iptc.aigcLabel}`);
    // Neutral on purpose: the reference may point into the file, to a server, or to credentials that were stripped.
    if (provenanceRef) parts.push('an XMP reference to Content Credentials');
    return parts.length ? parts.join('; ') : 'nothing about how it was made';
  },
};

/** China's TC260 "AIGC" label declares AI without a source type. */
function iptcSource(iptc: IptcReading): string {
  const system = iptc.aiSystemUsed ? ` (${iptc.aiSystemUsed})` : '';
  return iptc.digitalSourceType ? `IPTC source type "${sourceTypeTerm(iptc.digitalSourceType)}"${system}` : `AIGC label in XMP${system}`;
}

function declared(source: string): Declaration {
  return { says: 'ai', basis: 'metadata', source, caveats: [UNSIGNED] };
}

const modelOf = (model: string | undefined) => (model ? `: model ${model}` : '');
