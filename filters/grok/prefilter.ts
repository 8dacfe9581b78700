/**
 * A necessary condition for a match, found once per pattern and tested before the regex runs.
 * Misses are grok's expensive case: the unanchored regex is tried at every start position, and
 * on a line that almost matches each try runs nearly to the end and backtracks through every
 * alternative before it gives up (9 us on a 230-character near-miss for COMBINEDAPACHELOG, four
 * start positions times eight ways to read the host, ident and auth fields). The condition costs
 * one forward scan with indexOf:
 *
 *  - the literal runs on the mandatory path (`] "`, `" `, `" "` for the combined log format)
 *    occur in the order the pattern has them, without overlapping;
 *  - each is followed by a character the next part of the pattern can start with (`" ` then a
 *    digit or `-`: the status), when that part cannot match the empty string;
 *  - literals inside a repetition that must run once occur somewhere.
 *
 * A text that fails it cannot match, so the regex is skipped; a text that passes runs the regex
 * as before, so the prefilter changes what costs what, never what matches.
 */
import { CharSet, factsOf, parseRegex, type Node } from './regex_ast.js';

/** Shorter runs (a space, a `:`) occur everywhere: a step for each would cost every matching line more than it saves. */
const MIN_LENGTH = 2;
const MAX_ANYWHERE = 3;

export interface Prefilter {
  /** Literal runs of the mandatory path, in the order every match holds them. */
  readonly steps: readonly string[];
  /** Per step, the bits (CharSet layout) of the characters that may follow it; null when anything, or the end, may. */
  readonly follows: ReadonlyArray<Uint32Array | null>;
  /** Literals every match holds somewhere, order unknown: the longest step first (one indexOf turns away most
   *  lines of another format), then those of repetitions that run at least once. */
  readonly anywhere: readonly string[];
}

/** Single-alternative groups are as mandatory as their parent: their items join the parent's sequence. */
function flatten(items: readonly Node[], out: Node[]): Node[] {
  for (const item of items) {
    if (item.kind === 'group' && !item.look && item.body.length === 1) flatten(item.body[0], out);
    else out.push(item);
  }
  return out;
}

function isLiteral(node: Node): node is Extract<Node, { kind: 'char' }> & { literal: string } {
  return node.kind === 'char' && node.literal !== undefined;
}

/** Characters the items from `from` on can start with, when they cannot all match the empty string. */
function followOf(items: readonly Node[], from: number): CharSet | null {
  let set = new CharSet();
  for (let j = from; j < items.length; j++) {
    const facts = factsOf(items[j]);
    set = set.union(facts.first);
    if (!facts.nullable) return set;
  }
  return null;
}

/** Literal runs of a repetition's body (its first iteration is certain, what follows it is not). */
function repeatedLiterals(items: readonly Node[], out: string[]): void {
  let run = '';
  const flush = () => {
    if (run.length >= MIN_LENGTH) out.push(run);
    run = '';
  };
  for (const item of items) {
    if (isLiteral(item)) {
      run += item.literal;
      continue;
    }
    flush();
    if (item.kind === 'repeat' && item.min >= 1) repeatedLiterals(flatten([item.body], []), out);
  }
  flush();
}

export function compilePrefilter(source: string): Prefilter {
  const tree = parseRegex(source);
  const steps: string[] = [];
  const follows: Array<Uint32Array | null> = [];
  const anywhere: string[] = [];
  if (tree.length !== 1) return { steps, follows, anywhere };
  const items = flatten(tree[0], []);
  let run = '';
  for (let i = 0; i <= items.length; i++) {
    const item = items[i];
    if (item !== undefined && isLiteral(item)) {
      run += item.literal;
      continue;
    }
    if (run.length >= MIN_LENGTH) {
      steps.push(run);
      follows.push(followOf(items, i)?.bits ?? null);
    }
    run = '';
    if (item?.kind === 'repeat' && item.min >= 1) repeatedLiterals(flatten([item.body], []), anywhere);
  }
  const repeated = [...new Set(anywhere)].filter((text) => !steps.some((step) => step.includes(text)));
  const longestStep = steps.reduce((a, b) => (b.length > a.length ? b : a), '');
  const quick = longestStep === '' ? [] : [longestStep];
  return { steps, follows, anywhere: [...quick, ...repeated.sort((a, b) => b.length - a.length).slice(0, MAX_ANYWHERE)] };
}

function allows(bits: Uint32Array, code: number): boolean {
  const index = code < 128 ? code : 128;
  return (bits[index >> 5] & (1 << (index & 31))) !== 0;
}

/** False when `text` cannot match the pattern; true says nothing (the regex decides). */
export function admits(prefilter: Prefilter, text: string): boolean {
  const { steps, follows, anywhere } = prefilter;
  for (let i = 0; i < anywhere.length; i++) if (text.indexOf(anywhere[i]) === -1) return false;
  let from = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const follow = follows[i];
    let at = text.indexOf(step, from);
    // The leftmost occurrence that fits is the one to keep: any later choice leaves less room for the next steps.
    if (follow !== null) while (at !== -1 && !(at + step.length < text.length && allows(follow, text.charCodeAt(at + step.length)))) at = text.indexOf(step, at + 1);
    if (at === -1) return false;
    from = at + step.length;
  }
  return true;
}
