/**
 * The pipeline the status page and `sluice top` tests watch: two workers (the primary serves the
 * API with their metrics summed), a tcp input `app`, a drop filter `no_debug` for debug lines,
 * a stdout output `console`, and whatever outputs a test adds (YAML list items).
 */
export function statusPipeline(moreOutputs = ''): string {
  return `
api: { port: 0 }
pipeline:
  workers: 2
  shutdown_timeout: 1
inputs:
  - { type: tcp, id: app, port: 0 }
filters:
  - { type: drop, id: no_debug, when: '[level] == "debug"' }
outputs:
  - { type: stdout, id: console }
${moreOutputs}`;
}
