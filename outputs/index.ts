/** Registry of output plugins: adding an output is one folder and one line here. */
import type { OutputPlugin } from '../pipeline/plugin.js';
import { stdoutOutput } from './stdout/index.js';
import { nullOutput } from './null/index.js';
import { elasticsearchOutput } from './elasticsearch/index.js';
import { statsdOutput } from './statsd/index.js';
import { graphiteOutput } from './graphite/index.js';
import { httpOutput } from './http/index.js';
import { kafkaOutput } from './kafka/index.js';

export const outputPlugins: readonly OutputPlugin[] = [stdoutOutput, elasticsearchOutput, nullOutput, statsdOutput, graphiteOutput, httpOutput, kafkaOutput];
