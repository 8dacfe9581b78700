/**
 * `error.fingerprint`: the first 16 hex digits of a SHA-1 over a canonical string made of
 * what identifies a bug and nothing that changes between two occurrences of it:
 *
 *   v1 | language | exception type | in-app frames, innermost first, each `module-or-file:function`
 *
 * No line numbers, columns, addresses or messages; generated names normalized (frames.ts);
 * recursion (the same frame repeated) counted once. When no frame is in-app, every frame
 * counts; when none is printed at all, and for Go (whose panics carry no type), the masked
 * message joins the string. Messages without a trace: `v1 | message | template`.
 */
import { createHash } from 'node:crypto';
import { frameKey, isInApp, type InAppRules } from './frames.js';
import { messageTemplate, TemplateCache } from './message_template.js';
import type { Frame, ParsedTrace } from './types.js';

/** The same few templates and code paths come back all day: their hashes are kept, up to a bound. */
const CACHE_LIMIT = 4096;
const cache = new Map<string, string>();

function hash(canonical: string): string {
  const known = cache.get(canonical);
  if (known !== undefined) return known;
  const digest = createHash('sha1').update(canonical).digest('hex').slice(0, 16);
  // Cleared rather than evicted one by one: a burst of unique strings costs one rebuild, not a linked list per entry.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(canonical, digest);
  return digest;
}

/** Python prints `shop.users.UserNotFound` where structlog's dicts say `UserNotFound`: the class name alone is stable. */
function typeKey(trace: ParsedTrace): string {
  const type = trace.main.type;
  if (trace.language !== 'python') return type;
  return type.slice(type.lastIndexOf('.') + 1);
}

export function groupingFrames(frames: readonly Frame[], rules: InAppRules): readonly Frame[] {
  const app = frames.filter((frame) => isInApp(frame, rules));
  return app.length > 0 ? app : frames;
}

export function canonicalTrace(trace: ParsedTrace, rules: InAppRules): string {
  const keys: string[] = [];
  for (const frame of groupingFrames(trace.main.frames, rules)) {
    const key = frameKey(trace.language, frame);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  const parts = ['v1', trace.language, typeKey(trace), keys.join('>')];
  if (keys.length === 0 || trace.language === 'go') parts.push(messageTemplate(trace.main.message));
  return parts.join('|');
}

export function traceFingerprint(trace: ParsedTrace, rules: InAppRules): string {
  return hash(canonicalTrace(trace, rules));
}

/** An exception named by the shipper without a stack (an ECS `error.type` and `error.message`). */
export function exceptionFingerprint(type: string, message: string): string {
  return hash(['v1', 'exception', type, messageTemplate(message)].join('|'));
}

export interface TemplateGroup {
  /** The template, one shared string per template (events of a batch point at it, not at copies of it). */
  readonly template: string;
  readonly fingerprint: string;
}

const templates = new Map<string, TemplateGroup>();

function templateGroup(template: string): TemplateGroup {
  const known = templates.get(template);
  if (known !== undefined) return known;
  const group = { template, fingerprint: hash(`v1|message|${template}`) };
  if (templates.size >= CACHE_LIMIT) templates.clear();
  templates.set(template, group);
  return group;
}

const recent = new TemplateCache(templateGroup);

/** The template of a message without a trace, and its fingerprint. */
export function messageGroup(message: string): TemplateGroup {
  return recent.of(message);
}
