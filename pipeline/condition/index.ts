/** Logstash condition syntax for `when:`. Placeholder until the compiler lands (issue 4). */
import type { Event } from '../event.js';
import { ConfigError } from '../errors.js';

export type Condition = (event: Event) => boolean;

export function compileCondition(text: string): Condition {
  throw new ConfigError('SLUICE_CONDITION_SYNTAX', `conditions are not supported yet: ${JSON.stringify(text)}`);
}
