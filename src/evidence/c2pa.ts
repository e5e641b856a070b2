/**
 * Content Credentials (C2PA): what the reference validator (c2pa-rs, through @contentauth/c2pa-wasm) reported,
 * turned into three separate answers: was the file changed after signing (integrity), do we know the signer
 * (signer), and does any manifest in the chain declare generative AI (ai). One "valid" flag would call a
 * short-lived but genuine signer certificate "invalid", which it is not.
 */
import { matchGenerator } from './known-generators.ts';
import { isGenerativeSourceType, sourceTypeTerm } from './source-types.ts';

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
  /** An ingredient's own credentials do not match it (its integrity failures; this file's are in `integrity`). */
  ingredientsChanged: boolean;
  /** The chain ends in a camera capture: a `created` action of a capture source type, every link with credentials. */
  capture: boolean;
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
  ingredientsChanged: false,
  capture: false,
  failures: [],
};

/** Failures that mean "the bytes or the claim changed after signing" (or the manifest cannot be checked whole). */
const INTEGRITY_FAILURE = /\.mismatch$|^assertion\.(required\.)?missing$|^ingredient\.manifest\.missing$|^claimSignature\.missing$/;

/**
 * Failures that only say "we cannot vouch for who signed": an unknown or expired certificate, a signature or timestamp
 * outside the certificate's validity, an untrusted timestamp (short-lived certificates of Google and OpenAI then read
 * "expired"), revocation checks that could not run, and CAWG identity checks, which need the network. Tested before
 * the integrity codes: a CAWG "mismatch" is about an identity, not about the file.
 */
const UNVERIFIED_SIGNER =
  /^signingCredential\.(untrusted|expired|ocsp\.\w+)$|^(claimSignature|timeStamp)\.outsideValidity$|^timeStamp\.untrusted$|^cawg\./;

/** Source types a camera (or a phone processing its own capture) writes. */
const CAPTURE_SOURCE = /^(digitalCapture|computationalCapture|negativeFilm|positiveFilm|print)$/;

/** The parts of c2pa-rs' manifest store JSON that are read here (everything is optional: it is the file's word). */
interface ValidationEntry {
  code?: string;
}
type ValidationCodes = { success?: ValidationEntry[]; failure?: ValidationEntry[] };
interface ManifestJson {
  claim_generator?: string;
  claim_generator_info?: { name?: string; version?: string }[];
  signature_info?: { issuer?: string; common_name?: string };
  assertions?: { label?: string; data?: { actions?: ActionJson[] } }[];
  ingredients?: IngredientJson[];
}
interface IngredientJson {
  title?: string;
  relationship?: string;
  active_manifest?: string;
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
  validation_status?: ValidationEntry[];
  validation_results?: {
    activeManifest?: ValidationCodes;
    ingredientDeltas?: { validationDeltas?: ValidationCodes }[];
  };
}

/** How deep the ingredient chain is followed: real chains are a few links; a crafted file may loop. */
const MAX_CHAIN_DEPTH = 8;

export function c2paReadingFromStore(store: ManifestStoreJson, trustChecked: boolean): C2paReading {
  const manifests = store.manifests ?? {};
  const active = store.active_manifest ? manifests[store.active_manifest] : undefined;
  const results = store.validation_results;
  // Older stores have only the flat validation_status list, which is about the active manifest.
  const ownFailures = codes(results ? results.activeManifest?.failure : store.validation_status);
  const ingredientFailures = codes((results?.ingredientDeltas ?? []).flatMap((delta) => delta.validationDeltas?.failure ?? []));
  return {
    present: true,
    integrity: integrityState(ownFailures, active !== undefined),
    signer: signerState(codes(results?.activeManifest?.success), trustChecked),
    // The active manifest first: its claim is about this very file; ingredients' claims are about what went into it.
    ai: aiClaim([...(active ? [active] : []), ...Object.values(manifests).filter((m) => m !== active)]),
    claimGenerator: active ? claimGeneratorOf(active) : null,
    signerName: active ? signerNameOf(active) : null,
    remoteUrl: null,
    actions: active ? actionsOf(active).map(toAction) : [],
    ingredients: active ? ingredientChain(active, manifests) : [],
    ingredientsChanged: ingredientFailures.some(isIntegrityFailure),
    capture: active ? capturedByCamera(active, manifests, 0) : false,
    failures: [...new Set([...ownFailures, ...ingredientFailures])],
  };
}

/**
 * The validator's errors: no manifest at all, a remote manifest (its URL is in the message), or one that is present
 * but cannot be read. Anything else is unexpected input, reported as unreadable credentials.
 */
export function c2paReadingFromError(error: unknown): C2paReading {
  const message = String(error instanceof Error ? error.message : error);
  // No manifest, a container c2pa-rs does not read, or an XMP reference to credentials that were stripped.
  if (/\bC2pa\((JumbfNotFound|UnsupportedType|ProvenanceMissing)\)/.test(message)) return NO_CREDENTIALS;
  const remote = /RemoteManifestUrl\("([^"]+)"\)/.exec(message);
  if (remote) return { ...NO_CREDENTIALS, present: true, remoteUrl: remote[1]! };
  return { ...NO_CREDENTIALS, present: true, error: message.replace(/\s+/g, ' ').slice(0, 200) };
}

function codes(entries: ValidationEntry[] | undefined): string[] {
  return [...new Set((entries ?? []).map((entry) => entry.code).filter((code): code is string => typeof code === 'string'))];
}

const isIntegrityFailure = (code: string) => !UNVERIFIED_SIGNER.test(code) && INTEGRITY_FAILURE.test(code);

/** A failure that is neither a mismatch nor a known signer doubt (e.g. a revoked certificate) leaves it "unknown". */
function integrityState(failures: string[], hasActiveManifest: boolean): C2paIntegrity {
  if (failures.some(isIntegrityFailure)) return 'changed';
  if (!hasActiveManifest || failures.some((code) => !UNVERIFIED_SIGNER.test(code))) return 'unknown';
  return 'intact';
}

/**
 * Without any trust list the signer was not checked: "untrusted" would blame the signer for our missing list. The
 * answer comes from the signer's own code, not the overall state, which any other failure turns to "Invalid".
 */
function signerState(successes: string[], trustChecked: boolean): C2paSigner {
  if (!trustChecked) return 'not-checked';
  return successes.includes('signingCredential.trusted') ? 'trusted' : 'unverified';
}

/**
 * Whether the chain ends in a camera: this manifest created the asset from a capture source, or it opened or placed
 * ingredients that all have credentials of their own which do. An ingredient without credentials breaks the chain:
 * anything, an AI image included, can be opened in an editor that signs its exports.
 */
function capturedByCamera(manifest: ManifestJson, manifests: Record<string, ManifestJson>, depth: number): boolean {
  if (depth > MAX_CHAIN_DEPTH) return false;
  const actions = actionsOf(manifest);
  if (actions.some((action) => action.action === 'c2pa.created' && CAPTURE_SOURCE.test(lastSegment(action.digitalSourceType) ?? ''))) {
    return true;
  }
  const sources = (manifest.ingredients ?? []).filter((ingredient) => ingredient.relationship !== 'inputTo');
  return (
    sources.length > 0 &&
    sources.every((ingredient) => {
      const own = ownManifest(ingredient, manifests);
      return own !== undefined && own !== manifest && capturedByCamera(own, manifests, depth + 1);
    })
  );
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
      const own = ownManifest(ingredient, manifests);
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

/** The ingredient's own credentials, when it came with some (they sit in the same store, under their label). */
function ownManifest(ingredient: IngredientJson, manifests: Record<string, ManifestJson>): ManifestJson | undefined {
  return ingredient.active_manifest ? manifests[ingredient.active_manifest] : undefined;
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
  return typeof term === 'string' && term ? sourceTypeTerm(term) || undefined : undefined;
}
