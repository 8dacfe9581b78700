/**
 * The static check for patterns that cannot fall back to V8's linear engine (they use
 * lookaround or backreferences, atomic groups included): a repeated part that can match the
 * same text in more than one way, as in `(\w+\s?)*` or `(a|ab)*`, backtracks exponentially
 * on a line that almost matches, and is refused.
 *
 * The rule, on a small parse of the translated regex: each alternative of an unbounded
 * repetition must either have a fixed length, or start with one character that nothing else
 * in it can match past the single characters that follow it (then every iteration starts at
 * such a character, and the split is unique: `\\.[^"\\]*` passes);
 * and the alternatives must start with different characters. Bounded repetitions (up to 10)
 * and repetitions at the end of an atomic group (never backtracked into) are allowed.
 */
import type { Translation } from './translate.js';
import { CharSet, factsOf, factsOfSequence, parseRegex, type Node } from './regex_ast.js';

/** Why iterations of `body` can split one text several ways, or undefined when they cannot. */
function ambiguity(body: Node): string | undefined {
  const alternatives = body.kind === 'group' && !body.look ? body.body : [[body]];
  if (factsOf(body).nullable) return 'the repeated part can match the empty string';
  let seen = new CharSet();
  for (const sequence of alternatives) {
    const facts = factsOfSequence(sequence);
    if (seen.intersects(facts.first)) return 'two alternatives of the repeated part can start with the same character';
    seen = seen.union(facts.first);
    if (facts.fixed) continue;
    const [head, ...rest] = sequence;
    // Single characters right after the head sit at fixed offsets: `\\.[^"\\]*` is unambiguous.
    let after = 0;
    while (rest[after]?.kind === 'char') after++;
    const unique = head?.kind === 'char' && !factsOfSequence(rest.slice(after)).chars.intersects(head.set);
    if (!unique) return 'the repeated part has a variable length and no leading character of its own to tell iterations apart';
  }
  return undefined;
}

export interface BacktrackingProblem {
  readonly pattern: string;
  readonly position: number;
  readonly reason: string;
  readonly origin?: string;
}

/** The first repetition that can backtrack exponentially, located in the pattern text it came from. */
export function findCatastrophicBacktracking(translation: Translation): BacktrackingProblem | undefined {
  const tree = parseRegex(translation.source);
  let found: { start: number; why: string } | undefined;
  const visit = (node: Node, exempt: boolean): void => {
    if (found) return;
    if (node.kind === 'repeat') {
      if (!exempt && node.max > 10) {
        const why = ambiguity(node.body);
        if (why) {
          found = { start: node.start, why };
          return;
        }
      }
      visit(node.body, false);
    } else if (node.kind === 'group') {
      // The body of an emulated atomic group, (?=(X))\N, is never backtracked into from outside.
      const atomic = node.look && node.body.length === 1 && node.body[0].length === 1 && node.body[0][0].kind === 'group' && translation.atomicGroups.has(node.body[0][0].capture);
      const bodies = atomic ? (node.body[0][0] as Extract<Node, { kind: 'group' }>).body : node.body;
      for (const sequence of bodies) sequence.forEach((item, index) => visit(item, atomic && index === sequence.length - 1));
    }
  };
  for (const sequence of tree) for (const item of sequence) visit(item, false);
  if (!found) return undefined;
  const origin = translation.origins[found.start];
  return {
    pattern: origin?.pattern ?? '?',
    position: origin?.position ?? found.start,
    ...(origin?.origin ? { origin: origin.origin } : {}),
    reason: `nested quantifier can backtrack exponentially on a line that almost matches (${found.why}); rewrite it so that each repetition starts with a character nothing else in it matches, or make it atomic (?>...) at the end of its group`,
  };
}
