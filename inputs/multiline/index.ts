/**
 * Multi-line aggregation for line inputs (not wired into an input yet). How an input uses it:
 * one `MultilineAggregator` per input, built from the validated `multiline` setting
 * (`multilineSchema`) with an `emit` that turns a `MultilineEvent` into an event (its `message`,
 * its `tags`) and pushes it on; `push(streamId, line)` for every line a connection delivers
 * (the stream id: the connection, or the sender's address for UDP); `end(streamId)` when the
 * connection closes; `close()` when the input stops. Open events older than `flush_timeout`
 * are completed by the aggregator's own timer.
 */
export { MultilineAggregator, presetFor, type MultilineEvent } from './aggregator.js';
export { multilineSchema, type MultilineConfig } from './config.js';
export { PRESETS, anyLanguage, patternPreset, type Preset, type PresetName } from './presets.js';
