/** Registry of input plugins: adding an input is one folder and one line here. */
import type { InputPlugin } from '../pipeline/plugin.js';
import { tcpInput } from './tcp/index.js';
import { udpInput } from './udp/index.js';
import { syslogInput } from './syslog/index.js';
import { beatsInput } from './beats/index.js';
import { statsdInput } from './statsd/index.js';
import { kafkaInput } from './kafka/index.js';
import { fileInput } from './file/index.js';

export const inputPlugins: readonly InputPlugin[] = [tcpInput, udpInput, syslogInput, beatsInput, statsdInput, kafkaInput, fileInput];
