/**
 * Content Credentials (C2PA): what the reference validator (c2pa-rs, through @contentauth/c2pa-wasm) reported,
 * turned into three separate answers: was the file changed after signing (integrity), do we know the signer
 * (signer), and does any manifest in the chain declare generative AI (ai). One "valid" flag would call a
 * short-lived but genuine signer certificate "invalid", which it is not.
 */
import { matchGenerator } from './known-generators.ts';
import { isGenerativeSourceType } from './source-types.ts';

export type C2paIntegrity = 'intact' | 'changed' | 'unknown';
export type C2paSigner = 'trusted' | 'unverified' | 'not-checked';

export interface C2paAction {
  action: string;
  /** The last path segment of the IPTC/C2PA term, e.g. "trainedAlgorithmicMedia". */
  sourceType?: string;
  softwareAgent?: string;
}

/** One link of the ingredient chain: what the credentials say this file was made from. */
export interface C2paIngredient {
  title: string;
  relationship?: string;
  claimGenerator?: string;
  signerName?: string;
  /** Nesting depth: 1 = an ingredient of the file itself. */
  depth: number;
}

export interface C2paReading {
  present: boolean;
  integrity: C2paIntegrity;
  signer: C2paSigner;
  /** The generative source type or generator rule that fired, in the active manifest or any ingredient. */
  ai: string | null;
  claimGenerator: string | null;
  signerName: string | null;
  /** A manifest kept at a URL instead of in the file: never fetched (privacy; the page did not ask for it). */
  remoteUrl: string | null;
  actions: C2paAction[];
  ingredients: C2paIngredient[];
  /** The validator's failure codes, for the details panel. */
  failures: string[];
  /** Present but unreadable (unknown algorithm, damaged JUMBF, …): the validator's words. */
  error?: string;
}

export const NO_CREDENTIALS: C2paReading = {
  present: false,
  integrity: 'unknown',
  signer: 'not-checked',
  ai: null,
  claimGenerator: null,
  signerName: null,
  remoteUrl: null,
  actions: [],
  ingredients: [],
  failures: [],
};

/** Failures that mean "the bytes or the claim changed after signing" (or the manifest cannot be checked whole). */
const INTEGRITY_FAILURE = /\.mismatch$|^assertion\.(required\.)?missing$|^ingredient\.manifest\.missing$|^claimSignature\.missing$/;

/**
 * Failures that only say "we cannot vouch for who signed": an unknown or expired certificate, an untrusted
 * timestamp (short-lived certificates of Google and OpenAI then read "expired"), skipped revocation checks, and
 * CAWG identity checks, which need the network.
 */
const UNVERIFIED_SIGNER = /^signingCredential\.(untrusted|expired)$|^timeStamp\.untrusted$|\.ocsp\.skipped$|^cawg\./;

/** The parts of c2pa-rs' manifest store JSON that are read here (everything is optional: it is the file's word). */
interface ValidationEntry {
  code?: string;
}
interface ManifestJson {
  claim_generator?: string;
  claim_generator_info?: { name?: string; version?: string }[];
  title?: string;
  signature_info?: { issuer?: string; common_name?: string };
  assertions?: { label?: string; data?: { actions?: ActionJson[] } }[];
  ingredients?: { title?: string; relationship?: string; active_manifest?: string }[];
}
interface ActionJson {
  action?: string;
  digitalSourceType?: string;
  softwareAgent?: string | { name?: string };
  description?: string;
  parameters?: { description?: string };
}
export interface ManifestStoreJson {
  active_manifest?: string;
  manifests?: Record<string, ManifestJson>;
  validation_state?: string;
  validation_status?: ValidationEntry[];
  validation_results?: {
    activeManifest?: { failure?: ValidationEntry[] };
    ingredientDeltas?: { validationDeltas?: { failure?: ValidationEntry[] } }[];
  };
}

/** How deep the ingredient chain is followed: real chains are a few links; a crafted file may loop. */
const MAX_CHAIN_DEPTH = 8;

export function c2paReadingFromStore(store: ManifestStoreJson, trustChecked: boolean): C2paReading {
  const manifests = store.manifests ?? {};
  const active = store.active_manifest ? manifests[store.active_manifest] : undefined;
  const failures = failureCodes(store);
  return {
    present: true,
    integrity: integrityState(failures, active !== undefined),
    signer: signerState(store.validation_state, trustChecked),
    // The active manifest first: its claim is about this very file; ingredients' claims are about what went into it.
    ai: aiClaim([...(active ? [active] : []), ...Object.values(manifests).filter((m) => m !== active)]),
    claimGenerator: active ? claimGeneratorOf(active) : null,
    signerName: active ? signerNameOf(active) : null,
    remoteUrl: null,
    actions: active ? actionsOf(active).map(toAction) : [],
    ingredients: active ? ingredientChain(active, manifests) : [],
    failures,
  };
}

/**
 * The validator's errors: no manifest at all, a remote manifest (its URL is in the message), or one that is present
 * but cannot be read. Anything else is unexpected input, reported as unreadable credentials.
 */
export function c2paReadingFromError(error: unknown): C2paReading {
  const message = String(error instanceof Error ? error.message : error);
  if (/JumbfNotFound|UnsupportedType|NotFound/.test(message)) return NO_CREDENTIALS;
  const remote = /RemoteManifestUrl\("([^"]+)"\)/.exec(message);
  if (remote) return { ...NO_CREDENTIALS, present: true, remoteUrl: remote[1]! };
  return { ...NO_CREDENTIALS, present: true, error: message.replace(/\s+/g, ' ').slice(0, 200) };
}

function failureCodes(store: ManifestStoreJson): string[] {
  const results = store.validation_results;
  const entries = [
    ...(store.validation_status ?? []),
    ...(results?.activeManifest?.failure ?? []),
    ...(results?.ingredientDeltas ?? []).flatMap((delta) => delta.validationDeltas?.failure ?? []),
  ];
  return [...new Set(entries.map((entry) => entry.code).filter((code): code is string => typeof code === 'string'))];
}

/** A failure that is neither a mismatch nor a known signer doubt (e.g. a revoked certificate) leaves it "unknown". */
function integrityState(failures: string[], hasActiveManifest: boolean): C2paIntegrity {
  if (failures.some((code) => INTEGRITY_FAILURE.test(code))) return 'changed';
  if (!hasActiveManifest || failures.some((code) => !UNVERIFIED_SIGNER.test(code))) return 'unknown';
  return 'intact';
}

/** Without any trust list the signer was not checked: "untrusted" would blame the signer for our missing list. */
function signerState(state: string | undefined, trustChecked: boolean): C2paSigner {
  if (!trustChecked) return 'not-checked';
  return state === 'Trusted' ? 'trusted' : 'unverified';
}

function aiClaim(manifests: ManifestJson[]): string | null {
  for (const manifest of manifests) {
    for (const action of actionsOf(manifest)) {
      const term = lastSegment(action.digitalSourceType);
      if (term && isGenerativeSourceType(term)) return term;
    }
  }
  // Some generators say it only in words (Bing Image Creator: a description and a software agent, no source type).
  for (const manifest of manifests) {
    for (const action of actionsOf(manifest)) {
      for (const text of [agentName(action.softwareAgent), action.description, action.parameters?.description]) {
        const match = text ? matchGenerator(text) : undefined;
        if (match) return `${match.name} (${match.rule})`;
      }
    }
  }
  return null;
}

function actionsOf(manifest: ManifestJson): ActionJson[] {
  return (manifest.assertions ?? [])
    .filter((assertion) => /^c2pa\.actions(\.v2)?(__\d+)?$/.test(assertion.label ?? ''))
    .flatMap((assertion) => (Array.isArray(assertion.data?.actions) ? assertion.data.actions : []));
}

function toAction(action: ActionJson): C2paAction {
  const sourceType = lastSegment(action.digitalSourceType);
  const softwareAgent = agentName(action.softwareAgent);
  return {
    action: String(action.action ?? 'unknown').replace(/^c2pa\./, ''),
    ...(sourceType ? { sourceType } : {}),
    ...(softwareAgent ? { softwareAgent } : {}),
  };
}

function ingredientChain(root: ManifestJson, manifests: Record<string, ManifestJson>): C2paIngredient[] {
  const chain: C2paIngredient[] = [];
  const visited = new Set<ManifestJson>([root]);
  const walk = (manifest: ManifestJson, depth: number) => {
    if (depth > MAX_CHAIN_DEPTH) return;
    for (const ingredient of manifest.ingredients ?? []) {
      const own = ingredient.active_manifest ? manifests[ingredient.active_manifest] : undefined;
      chain.push({
        title: String(ingredient.title ?? 'untitled'),
        ...(ingredient.relationship ? { relationship: ingredient.relationship } : {}),
        ...(own ? { claimGenerator: claimGeneratorOf(own) ?? undefined, signerName: signerNameOf(own) ?? undefined } : {}),
        depth,
      });
      if (own && !visited.has(own)) {
        visited.add(own);
        walk(own, depth + 1);
      }
    }
  };
  walk(root, 1);
  return chain;
}

function claimGeneratorOf(manifest: ManifestJson): string | null {
  const info = manifest.claim_generator_info?.[0];
  if (info?.name) return info.version ? `${info.name} ${info.version}` : info.name;
  return manifest.claim_generator ?? null;
}

/** The organisation on the certificate ("Adobe Inc.", "OpenAI"), else its common name. */
function signerNameOf(manifest: ManifestJson): string | null {
  return manifest.signature_info?.issuer ?? manifest.signature_info?.common_name ?? null;
}

function agentName(agent: ActionJson['softwareAgent']): string | undefined {
  return typeof agent === 'string' ? agent : typeof agent?.name === 'string' ? agent.name : undefined;
}

function lastSegment(term: unknown): string | undefined {
  return typeof term === 'string' && term ? term.split('/').pop() : undefined;
}
