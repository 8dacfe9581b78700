/** Registry of filter plugins: adding a filter is one folder and one line here. */
import type { FilterPlugin } from '../pipeline/plugin.js';

export const filterPlugins: readonly FilterPlugin[] = [];
