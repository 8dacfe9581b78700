/**
 * Multi-line aggregation for line inputs. How an input uses it: one `MultilineStage` per input
 * (per transport), built from the validated `multiline` setting (`multilineSchema`); for every
 * line, the event decoded from it alone goes to `push(streamId, text, payload, group)` inside
 * `collect(events, ...)` (the stream id: the connection, the sender's address for UDP, plus the
 * app and pid for syslog; the group: the connection); `end(group)` when the connection closes;
 * `close()` when the input stops, before its last flush. Open events older than
 * `flush_timeout` are completed by the aggregator's own timer and delivered on their own.
 */
export { MultilineAggregator, presetFor, type AggregatorOptions, type MultilineEvent } from './aggregator.js';
export { MultilineStage, type LinePayload, type MultilineStageOptions } from './stage.js';
export { multilineSchema, type MultilineConfig } from './config.js';
export { PRESETS, anyLanguage, patternPreset, type Preset, type PresetName } from './presets.js';
