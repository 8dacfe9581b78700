/**
 * The regular-expression engine grok runs on, and why no line can hang a worker with it.
 *
 * JavaScript's RegExp backtracks and cannot be interrupted: `^(a+)+$` takes 10 s on 29
 * characters, four `.*?` fields 50 s and more on a 1200-character line (bench/grok.ts prints
 * both). V8 also carries a breadth-first engine that runs in time linear in the line; with
 * the flag below, any regex that backtracks more than 50,000 times in one exec is re-run on
 * it, and the results are the same (it follows the same priorities). The usual line never
 * reaches the limit, so the fast engine keeps its speed (160 ns for a common log line) and the
 * hostile one costs milliseconds, not hours. The flags are process-wide and only change what
 * happens past the backtrack limit.
 *
 * The linear engine has no backreferences and no lookaround, so a pattern that uses them
 * (atomic groups are emulated with both) cannot fall back: such patterns must pass the static
 * check in safety.ts, which refuses the nested quantifiers that backtrack exponentially.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
// The fallback is taken by compiled regex code only: V8's regex interpreter, which runs a
// regex's first execution (and again after its code is flushed), does not take it, and
// backtracks on (300 ms on a 900-character line with three lazy fields, hours on the
// exponential case). Compiling straight to native code closes that window.
v8.setFlagsFromString('--no-regexp-tier-up');
// Lets `new RegExp(source, 'l')` tell whether a pattern can run on the linear engine.
v8.setFlagsFromString('--enable-experimental-regexp-engine');

/** True when V8 can re-run this regex on its linear-time engine (no backreference, no lookaround). */
export function canRunLinear(source: string, flags: string): boolean {
  try {
    new RegExp(source, `${flags}l`);
    return true;
  } catch {
    return false;
  }
}
