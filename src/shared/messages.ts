/**
 * Every message between the extension's parts, typed per direction (content → worker, worker → content,
 * popup → worker, worker → offscreen), with the reply each one gets. The senders in send.ts take these types,
 * so a message and its handler cannot drift apart.
 */
import type { Heatmap } from '../detector/aggregate.ts';
import type { Verdict } from '../detector/calibrate.ts';
import type { CannotCheckReason } from '../detector/errors.ts';
import type { ClassifierSidecar, Sensitivity } from '../detector/sidecar.ts';
import type { Finding } from '../evidence/fuse.ts';
import type { Basis } from '../evidence/signal.ts';
import type { Readings, SignalId, SignalLine } from '../evidence/signals.ts';
import type { TrustList } from '../evidence/trust.ts';
import type { BranchLogits } from './branch-lines.ts';
import type { ReportClaim, ReportImage } from './report.ts';
import type { ActiveUserModel, UserModelReading, UserModelTest } from './user-model.ts';

export type MediaKind = 'image' | 'video';
/** 'auto': the content script saw it on screen; 'menu': the user asked with the context menu. */
export type Trigger = 'auto' | 'menu';

export interface MediaRef {
  /** What the page shows: http(s):, data:, or (for images) a blob: URL the content script already read. */
  url: string;
  kind: MediaKind;
  /** A site's AI label next to the media ("AI info"), or "" when the content script found none. */
  pageLabel?: string;
  /** A video whose file the extension cannot read: frames the content script drew from the page instead. */
  captured?: CapturedFrames;
}

/**
 * Where a video's frames came from: its file (fetched and seeked in the extension), the playing element (MediaSource
 * and blob: players), a screen capture of the tab (protected or tainted video, after a right-click), or the frames
 * of an animated GIF or WebP.
 */
export type FrameSource = 'file' | 'playing' | 'screen' | 'animation';

export interface CapturedFrames {
  source: 'playing' | 'screen';
  /** JPEG or PNG data: URLs, with the media time each was drawn at (seconds). */
  frames: { t: number; dataUrl: string }[];
  skipped: SkipCounts;
  /** False while the video is still being sampled: the answer is provisional and stays out of history. */
  final: boolean;
}

/** Frames the sampler passed over: near-black, blank (no detail) and near-duplicates of a frame already kept. */
export interface SkipCounts {
  black: number;
  blank: number;
  duplicate: number;
}

/** A face the face branch scored, in the pixels of the image (or frame) it was found in. */
export interface FaceScore {
  box: [x: number, y: number, width: number, height: number];
  /** Calibrated probability that the face was swapped or reenacted. */
  score: number;
}

/** One analysed frame of a video or animation. */
export interface FrameScore {
  /** Seconds into the clip. */
  t: number;
  /** The image branches' calibrated probability of AI for this frame. */
  score: number;
  faces: FaceScore[];
}

export interface ClipAnalysis {
  source: FrameSource;
  frames: FrameScore[];
  skipped: SkipCounts;
  /** Times (s) of the frames the pooled score came from, highest first: the panel names them. */
  drivers: number[];
  /** Pooled face-swap probability over frames with faces; absent when no frame showed a scorable face. */
  faceScore?: number;
  /** Still sampling a playing video (see CapturedFrames.final). */
  provisional?: boolean;
}

export interface PageRef {
  url: string;
  title: string;
}

/** What the model says about one image or video, before a sensitivity turns the score into a verdict. */
export interface Analysis {
  sha256: string;
  score: number;
  model: string;
  heatmap: Heatmap;
  /** Size of the decoded image (or video frame) the heat map's pixel offsets refer to. */
  width: number;
  height: number;
  /** Videos and animations: the frames analysed and how they were pooled. */
  clip?: ClipAnalysis;
  /** Still images: the faces found and their face-swap scores (for a clip, see clip.frames). */
  faces?: FaceScore[];
  /** Small JPEG data: URL for the history list. */
  thumbnail: string;
  /** What the file says about itself: Content Credentials, metadata, watermark. */
  evidence: Readings;
  /** Each pixel-model branch's own logit (for a video, the highest-scoring frame's). */
  branches: BranchLogits;
  /** The user's own model, when one is chosen: its score (pooled for a clip), or why it failed. */
  userModel?: UserModelReading;
}

export type AnalysisOutcome =
  | { ok: true; analysis: Analysis; cancelled?: undefined }
  | { ok: false; reason: CannotCheckReason; detail?: string; cancelled?: undefined }
  /** Every check that asked for it was cancelled before it finished. */
  | { ok: false; cancelled: true };

/** What a badge, the panel and the history show. */
export type CheckResult =
  | {
      status: 'checked';
      /** From all evidence: a declaration outranks the model (evidence/fuse.ts). */
      verdict: Verdict;
      finding: Finding;
      basis: Basis;
      /** The declaration's source ("Content Credentials from OpenAI"), which signal made it, and what weakens it. */
      source?: string;
      declaredBy?: SignalId;
      caveats: string[];
      /** A signed photo that the pixel model scores as AI. */
      modelDisagrees?: boolean;
      /** Every signal read, one line each, for the details panel. */
      signals: SignalLine[];
      /** The pixel model's calibrated probability of AI, whatever decided. */
      score: number;
      sensitivity: Sensitivity;
      model: string;
      branches: BranchLogits;
      heatmap: Heatmap;
      width: number;
      height: number;
      clip?: ClipAnalysis;
      faces?: FaceScore[];
      /** The face branch's probability (pooled for a clip) when a face was scored. */
      faceScore?: number;
      /** The face branch alone made the model's verdict "AI". */
      faceFlagged?: boolean;
      /** The history entry the check was saved as (none for a playing video's provisional answer). */
      historyId?: string;
      /** The user's model: what it said (`flagged`: as the extra branch, it raised the verdict to AI), or its failure. */
      userModel?: UserModelReading & { flagged?: boolean };
    }
  | { status: 'cannot-check'; reason: CannotCheckReason; detail?: string };

export type Backend = 'webgpu' | 'wasm';

export interface BackendStatus {
  backend: Backend;
  /** WASM threads (also used by WebGPU for the operators it leaves on the CPU). */
  threads: number;
  model: string;
  /** Why WebGPU is not in use, when it is not; which branch stays on WASM, when it is. */
  webgpuNote?: string;
  /** A store package ships no face detector (scripts/lib/ship-face-detector.ts); absent when the face branch runs. */
  faceCheck?: 'not-included';
}

/** One media element on the page, for the popup's "this page" view. */
export interface PageItem {
  url: string;
  kind: MediaKind;
  result: CheckResult | 'checking';
}

export interface PageSummary {
  url: string;
  items: PageItem[];
}

/** "This is wrong", as the panel sends it: the check it shows, where its media is, and what the user says. */
export interface ReportRequest {
  claim: ReportClaim;
  note: string;
  result: Extract<CheckResult, { status: 'checked' }>;
  page: PageRef;
  media: { url: string; kind: MediaKind };
  /** Only when the user ticked "include the image": the URL the extension reads it from (a blob: image inlined). */
  imageFrom?: string;
}

export interface SavedReport {
  id: string;
  /** The pre-filled issue the user may open: no image in it. */
  issueUrl: string;
  imageIncluded: boolean;
  /** Why the image the user asked for could not be saved. */
  imageMissing?: string;
}

/** A report's image, read again by the offscreen document: the content script cannot read cross-origin pixels. */
export type ReportImageOutcome = ({ ok: true } & ReportImage) | { ok: false; why: string };

/**
 * Which checks go first: `urgent` for a right-click or a playing video's frames, `visible` for media on screen, `near`
 * for media about to scroll into view.
 */
export type CheckPriority = 'urgent' | 'visible' | 'near';

/**
 * One check as the content script asks for it. `checkId` names it for `cancel-check`, and stays the same when the
 * content script sends it again after the worker or the offscreen document died.
 */
export interface CheckRequest {
  checkId: string;
  media: MediaRef;
  page: PageRef;
  trigger: Trigger;
  priority: CheckPriority;
}

// content script or popup → service worker
export type ToWorker =
  | ({ type: 'check' } & CheckRequest)
  /** The media left the page (or scrolled far away) before its check finished: the work is dropped. */
  | { type: 'cancel-check'; checkId: string }
  | { type: 'backend-status' }
  /** A screenshot of the sender's visible tab (PNG data: URL), for a protected video the user asked about. */
  | { type: 'capture-tab' }
  | { type: 'delete-history-entry'; id: string }
  | { type: 'clear-history' }
  | { type: 'save-report'; report: ReportRequest }
  | { type: 'clear-reports' }
  /** The options page stored a model's bytes (IndexedDB): check its graph against the sidecar and run the self-test. */
  | { type: 'test-user-model'; sidecar: ClassifierSidecar };
export interface ToWorkerReplies {
  /** null: the check was cancelled. */
  check: CheckResult | null;
  'cancel-check': null;
  'backend-status': BackendStatus;
  'capture-tab': string;
  'delete-history-entry': null;
  'clear-history': null;
  'save-report': SavedReport;
  'clear-reports': null;
  'test-user-model': UserModelTest;
}

// service worker or popup → content script (per tab)
export type ToContent = { type: 'check-now'; srcUrl: string } | { type: 'page-summary' };
export interface ToContentReplies {
  /** null when no element on the page shows that URL. */
  'check-now': CheckResult | null;
  'page-summary': PageSummary;
}

// service worker → offscreen document. The `target` keeps other extension pages from answering.
// The user's imported trust lists and chosen model travel with each check: the offscreen document cannot read
// extension storage. So does the UI language (`uiLocale()`) with each message that may answer in words: it has no
// chrome.i18n either.
export type ToOffscreen = { target: 'offscreen' } & (
  | {
      type: 'analyze';
      checkId: string;
      priority: CheckPriority;
      media: MediaRef;
      userTrust: TrustList[];
      uiLanguage: string;
      userModel?: ActiveUserModel;
    }
  | { type: 'test-user-model'; sidecar: ClassifierSidecar }
  | { type: 'cancel'; checkId: string }
  | { type: 'backend-status' }
  /** Answered as soon as the document listens, before its models load. */
  | { type: 'ping' }
  /** The media as a JPEG for a report; a video's frame at `at` seconds. */
  | { type: 'report-image'; url: string; kind: MediaKind; at?: number; uiLanguage: string }
);
export interface ToOffscreenReplies {
  analyze: AnalysisOutcome;
  cancel: null;
  ping: true;
  'backend-status': BackendStatus;
  'report-image': ReportImageOutcome;
  'test-user-model': UserModelTest;
}

export function isToOffscreen(message: unknown): message is ToOffscreen {
  return (message as ToOffscreen | undefined)?.target === 'offscreen';
}
