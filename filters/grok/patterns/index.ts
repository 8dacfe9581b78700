/** The built-in pattern files, by name; library.ts parses them in this order. */
import { APPS } from './apps.js';
import { BASE } from './base.js';
import { HTTP } from './http.js';
import { SYSTEM } from './system.js';

export const LIBRARY: Readonly<Record<string, string>> = { base: BASE, http: HTTP, system: SYSTEM, apps: APPS };
