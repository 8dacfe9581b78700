/** Registry of filter plugins: adding a filter is one folder and one line here. */
import type { FilterPlugin } from '../pipeline/plugin.js';
import { dateFilter } from './date/index.js';
import { dissectFilter } from './dissect/index.js';
import { dropFilter } from './drop/index.js';
import { grokFilter } from './grok/index.js';
import { exceptionFilter } from './exception/index.js';
import { jsonFilter } from './json/index.js';
import { kvFilter } from './kv/index.js';
import { metricsFilter } from './metrics/index.js';
import { mutateFilter } from './mutate/index.js';
import { traceIdFilter } from './trace_id/index.js';

export const filterPlugins: readonly FilterPlugin[] = [jsonFilter, traceIdFilter, exceptionFilter, dateFilter, mutateFilter, grokFilter, dissectFilter, kvFilter, metricsFilter, dropFilter];
