/** Unsigned metadata: IPTC/XMP AI fields, generation-tool records (A1111, ComfyUI, …) and software fields naming a generator. */
import { type IptcReading, type MetadataReading, readMetadata } from './metadata/index.ts';
import { t } from '../shared/i18n.ts';
import type { Declaration, Signal } from './signal.ts';
import { sourceTypeTerm } from './source-types.ts';

export const metadataSignal: Signal<'metadata', MetadataReading> = {
  id: 'metadata',
  label: 'signalMetadata',
  from: 'file',
  read: (input) => readMetadata(input.bytes),
  declaration({ iptc, generator }): Declaration | undefined {
    // A generation record beats a source-type tag, which beats a free-text field that merely names a generator.
    if (generator?.kind === 'parameters') return declared(generator.model ? t('metadataParametersModel', generator.tool, generator.model) : t('metadataParameters', generator.tool));
    if (iptc?.ai) return declared(iptcSource(iptc));
    if (generator) return declared(t('metadataNames', generator.where, generator.tool));
    return undefined;
  },
  describe({ iptc, generator, provenanceRef }) {
    const parts: string[] = [];
    if (generator) {
      const extras = [generator.model && t('metadataModel', generator.model), generator.sampler && t('metadataSampler', generator.sampler)];
      parts.push(`${generator.tool} (${[generator.where, ...extras].filter(Boolean).join(', ')})`);
    }
    if (iptc?.digitalSourceType) parts.push(t('metadataSourceType', sourceTypeTerm(iptc.digitalSourceType)));
    if (iptc?.aiSystemUsed) parts.push(t('metadataAiSystem', iptc.aiSystemUsed));
    if (iptc?.credit) parts.push(t('metadataCredit', iptc.credit));
    if (iptc?.aigcLabel) parts.push(t('metadataAigcLabel', iptc.aigcLabel));
    // Neutral on purpose: the reference may point into the file, to a server, or to credentials that were stripped.
    if (provenanceRef) parts.push(t('metadataProvenanceRef'));
    return parts.length ? parts.join('; ') : t('metadataNothing');
  },
};

/** China's TC260 "AIGC" label declares AI without a source type. */
function iptcSource(iptc: IptcReading): string {
  const system = iptc.aiSystemUsed ? ` (${iptc.aiSystemUsed})` : '';
  return iptc.digitalSourceType ? `${t('metadataSourceTypeQuoted', sourceTypeTerm(iptc.digitalSourceType))}${system}` : `${t('metadataAigcInXmp')}${system}`;
}

function declared(source: string): Declaration {
  return { says: 'ai', basis: 'metadata', source, caveats: [t('metadataUnsigned')] };
}
