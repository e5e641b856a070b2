/**
 * Which onnxruntime runs the models in Node. By default onnxruntime-node's native CPU build, shipped inside its npm
 * package (docs/BENCHMARKS.md, "Inference runtimes": several times faster than WASM here, same scores); when its
 * binding cannot load on this machine, onnxruntime-web's WASM build, the one the extension runs. `--runtime` or
 * FRAMEPROOF_RUNTIME forces either.
 *
 * Both packages share one onnxruntime-common, hence one registry of backends: onnxruntime-node registers "cpu" above
 * onnxruntime-web's own "cpu" alias, so each runtime names its execution provider explicitly ("cpu" is the native one
 * only once onnxruntime-node is imported, which loadRuntime('node') does first).
 */
import { availableParallelism } from 'node:os';
import type { DetectorOptions, OrtRuntime } from '../detector/detector.ts';

export const RUNTIME_NAMES = ['node', 'web'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];
/** Forces a runtime for every command (score, eval, bench) when no --runtime is given. */
export const RUNTIME_ENV = 'FRAMEPROOF_RUNTIME';

export interface InferenceRuntime {
  name: RuntimeName;
  /** "onnxruntime-node 1.30.0 (native CPU)" or "onnxruntime-web 1.30.0 (WASM)". */
  label: string;
  ort: OrtRuntime;
  /** Where createDetector and createFaceAnalyzer run their sessions, at the thread count loadRuntime was given. */
  sessionOptions: Pick<DetectorOptions, 'executionProviders' | 'sessionOptions'>;
  /** Set when the native runtime was the default but did not load: why, for a line on stderr. */
  fallback?: string;
}

/** Default 2 (or 1 on a one-core machine): docs/BENCHMARKS.md measured twice one thread's throughput on 2 cores. */
export const defaultThreads = (threads?: number) => threads ?? Math.min(2, availableParallelism());

/** FRAMEPROOF_RUNTIME's runtime; undefined when it is unset or empty. */
export function runtimeFromEnvironment(value = process.env[RUNTIME_ENV]): RuntimeName | undefined {
  if (!value) return undefined;
  if (!RUNTIME_NAMES.includes(value as RuntimeName)) {
    throw new Error(`${RUNTIME_ENV} must be one of ${RUNTIME_NAMES.join(', ')} (got "${value}")`);
  }
  return value as RuntimeName;
}

/**
 * The runtime asked for (else FRAMEPROOF_RUNTIME's, else the native one, falling back to WASM when it cannot load).
 * A runtime asked for by name that cannot load is an error, not a fallback.
 */
export async function loadRuntime(requested?: RuntimeName, threads?: number): Promise<InferenceRuntime> {
  const chosen = requested ?? runtimeFromEnvironment();
  if (chosen === 'web') return webRuntime(threads);
  try {
    return await nodeRuntime(threads);
  } catch (error) {
    if (chosen === 'node') throw new Error(`onnxruntime-node did not load: ${(error as Error).message}`, { cause: error });
    return { ...(await webRuntime(threads)), fallback: `onnxruntime-node did not load (${(error as Error).message})` };
  }
}

async function nodeRuntime(threads?: number): Promise<InferenceRuntime> {
  // Importing it loads the native binding, so this is where a machine without a usable binary throws.
  const ort = await import('onnxruntime-node');
  return {
    name: 'node',
    label: `onnxruntime-node ${ort.env.versions.node} (native CPU)`,
    ort,
    sessionOptions: {
      executionProviders: ['cpu'],
      // Per session, unlike WASM's; one inter-op thread, as the graphs run sequentially. Idle pool threads sleep
      // rather than spin: spinning took the core from the decodes running beside the model, and on a busy 2-core
      // machine made 2 threads 2-3 times slower than 1 (docs/BENCHMARKS.md, "Inference runtimes").
      sessionOptions: {
        intraOpNumThreads: defaultThreads(threads),
        interOpNumThreads: 1,
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      },
    },
  };
}

async function webRuntime(threads?: number): Promise<InferenceRuntime> {
  const ort = await import('onnxruntime-web');
  // Read once, when its WASM starts: every session in this process runs with the first count set.
  ort.env.wasm.numThreads = defaultThreads(threads);
  return { name: 'web', label: `onnxruntime-web ${ort.env.versions.web} (WASM)`, ort, sessionOptions: { executionProviders: ['wasm'] } };
}
