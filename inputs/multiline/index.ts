/** Multi-line aggregation for line inputs (not wired into an input yet): see aggregator.ts and presets.ts. */
export { MultilineAggregator, presetFor, type MultilineEvent } from './aggregator.js';
export { multilineSchema, type MultilineConfig } from './config.js';
export { PRESETS, anyLanguage, patternPreset, type Preset, type PresetName } from './presets.js';
