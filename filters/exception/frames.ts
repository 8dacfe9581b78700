/**
 * Which frames are the application's, and what of a frame is stable enough to group by: the
 * module or file base name plus the function, with what compilers and runtimes generate
 * (lambda and anonymous-class numbers, hidden-class addresses, closure counters) taken out.
 */
import type { Frame, Language } from './types.js';

export interface InAppRules {
  /** A frame whose file path contains one of these is a library's (or the runtime's). */
  readonly libraryPaths: readonly string[];
  /** A frame whose class (Java) or symbol (Go) starts with one of these is a library's. */
  readonly libraryModules: readonly string[];
  /** These win over the library rules: the app's own code vendored under a library path. */
  readonly appPaths: readonly string[];
  readonly appModules: readonly string[];
}

function startsWithAny(text: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
  return false;
}

function containsAny(text: string, parts: readonly string[]): boolean {
  for (const part of parts) if (text.includes(part)) return true;
  return false;
}

export function isInApp(frame: Frame, rules: InAppRules): boolean {
  if (frame.file !== undefined && containsAny(frame.file, rules.appPaths)) return true;
  if (frame.module !== undefined && startsWithAny(frame.module, rules.appModules)) return true;
  if (frame.file !== undefined) {
    // No path at all (`<anonymous>`, `native`, `<frozen importlib._bootstrap>`, `<internal:kernel>`): the runtime's.
    if (!frame.file.includes('/') && !frame.file.includes('\\')) return false;
    if (containsAny(frame.file, rules.libraryPaths)) return false;
  }
  return frame.module === undefined || !startsWithAny(frame.module, rules.libraryModules);
}

const JAVA_HIDDEN_CLASS = /\$\$Lambda(?:\$\d+)?\/0x[0-9a-f]+/g;
const JAVA_ENHANCER = /\$\$(\w+?)\$\$[0-9a-f]+/gi;
const JAVA_GENERATED = /(GeneratedMethodAccessor|GeneratedConstructorAccessor|GeneratedSerializationConstructorAccessor)\d+/g;
const JAVA_ANONYMOUS = /\$\d+/g;
const JAVASSIST = /_\$\$_javassist_\d+/g;
const GO_CLOSURE = /\.(func|gowrap)\d+(?:\.\d+)*/g;
const RUBY_BLOCK_LEVELS = /^block \(\d+ levels\) in /;
const RUBY_ERB = /__\d+_\d+$/;

function javaModule(module: string): string {
  if (!module.includes('$') && !module.includes('Generated')) return module;
  return module.replace(JAVA_HIDDEN_CLASS, '$$$$Lambda').replace(JAVA_ENHANCER, '$$$$$1').replace(JAVASSIST, '_$$$$_javassist').replace(JAVA_GENERATED, '$1').replace(JAVA_ANONYMOUS, '$$<n>');
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return (cut === -1 ? path : path.slice(cut + 1)).toLowerCase();
}

/** The function without what the compiler numbered: `lambda$parseAll$0` -> `lambda$parseAll`. */
export function normalizeFunction(language: Language, name: string): string {
  switch (language) {
    case 'java':
      return name.includes('$') ? name.replace(/\$\d+$/, '').replace(JAVA_ANONYMOUS, '$$<n>') : name;
    case 'node': {
      let fn = name.startsWith('async ') ? name.slice(6) : name;
      const alias = fn.indexOf(' [as ');
      if (alias !== -1) fn = fn.slice(0, alias);
      return fn.startsWith('Object.') && fn.length > 7 ? fn.slice(7) : fn;
    }
    case 'go':
      return name.includes('.func') || name.includes('.gowrap') ? name.replace(GO_CLOSURE, '.$1') : name;
    case 'ruby':
      return name.replace(RUBY_BLOCK_LEVELS, 'block in ').replace(RUBY_ERB, '');
    default:
      return name;
  }
}

/** One frame as it enters the fingerprint: `users.py:get_user`, `com.example.Scheduler$<n>.run`. */
export function frameKey(language: Language, frame: Frame): string {
  const where = frame.module !== undefined ? javaModule(frame.module) : frame.file !== undefined ? baseName(frame.file) : '';
  return `${where}:${normalizeFunction(language, frame.function)}`;
}

/** `module.function` for a class (Java), `file:function` otherwise, as printed. */
export function culpritOf(frame: Frame): string {
  return frame.module !== undefined ? `${frame.module}.${frame.function}` : `${frame.file ?? ''}:${frame.function}`;
}

/** Library defaults, per the runtimes' layouts (DESIGN.md "exception"). */
export const DEFAULT_LIBRARY_PATHS = [
  '/site-packages/',
  '/dist-packages/',
  '/lib/python2.',
  '/lib/python3.',
  '/node_modules/',
  'node:',
  '/usr/local/go/src/',
  '/usr/lib/go/src/',
  '/usr/lib/golang/src/',
  '/go/pkg/mod/',
  '/usr/lib/ruby/',
  '/usr/local/lib/ruby/',
  '/gems/',
];

export const DEFAULT_LIBRARY_MODULES = ['java.', 'javax.', 'jdk.', 'sun.', 'com.sun.'];
