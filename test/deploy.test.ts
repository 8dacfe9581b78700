/**
 * The compose files and the Kibana / OpenSearch Dashboards saved objects, checked without Docker
 * (the machines have none): the NDJSON parses, every object references the `sluice` data view,
 * every field a visualization or the saved search uses is mapped by our index template, and
 * `docker-compose config` (Debian's, from test/interop/compose/setup.sh) accepts both files.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { mappings } from '../outputs/elasticsearch/template.js';
import { runSluiceCommand } from './helpers/sluice.js';
import { PIPELINE_NODE_FLAGS, workerNodeFlags } from '../pipeline/cluster/node_flags.js';

const ROOT = join(import.meta.dirname, '..');
const NDJSON = join(ROOT, 'deploy', 'kibana', 'saved_objects.ndjson');

interface SavedObject {
  type: string;
  id: string;
  attributes: Record<string, unknown> & { title: string; kibanaSavedObjectMeta?: { searchSourceJSON: string } };
  references: Array<{ name: string; type: string; id: string }>;
}

const objects: SavedObject[] = readFileSync(NDJSON, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line, i) => {
    try {
      return JSON.parse(line) as SavedObject;
    } catch (err) {
      throw new Error(`${NDJSON}:${i + 1}: not JSON: ${String(err)}`);
    }
  });

/**
 * Fields the template leaves to the engine, with why that is safe: grok writes them as integers
 * (`:int`), which the engine maps as long, aggregatable. Anything else must be in mappings().
 */
const MAPPED_BY_THE_ENGINE: Record<string, string> = {
  'http.response.status_code': 'long (grok :int in HTTPD_COMMONLOG, HAPROXYHTTPBASE, DJANGO_RUNSERVER)',
};

/** The template's type for a dotted field name, or undefined. */
function templateType(field: string): string | undefined {
  let properties = (mappings() as { properties: Record<string, { type?: string; properties?: Record<string, unknown>; fields?: Record<string, { type: string }> }> }).properties;
  const parts = field.split('.');
  for (let i = 0; i < parts.length; i++) {
    const mapping = properties[parts[i]];
    if (!mapping) return undefined;
    if (i === parts.length - 1) return mapping.type ?? (mapping.properties ? 'object' : undefined);
    if (mapping.fields && mapping.fields[parts[i + 1]] && i + 1 === parts.length - 1) return mapping.fields[parts[i + 1]].type;
    properties = (mapping.properties ?? {}) as typeof properties;
  }
  return undefined;
}

/** Field names in a KQL query: `name : value`. */
function kqlFields(query: string): string[] {
  return [...query.matchAll(/([@\w.]+)\s*:/g)].map((m) => m[1]);
}

function searchSource(object: SavedObject): { query: { query: string; language: string }; indexRefName?: string } {
  return JSON.parse(object.attributes.kibanaSavedObjectMeta?.searchSourceJSON ?? '{}') as { query: { query: string; language: string }; indexRefName?: string };
}

/** Every field an object uses, and whether it must be aggregatable (not text). */
function fieldsOf(object: SavedObject): Array<{ field: string; aggregated: boolean }> {
  const used = kqlFields(searchSource(object).query?.query ?? '').map((field) => ({ field, aggregated: false }));
  if (object.type === 'visualization') {
    const visState = JSON.parse(object.attributes.visState as string) as { aggs: Array<{ type: string; params: { field?: string } }> };
    for (const agg of visState.aggs) if (agg.params.field) used.push({ field: agg.params.field, aggregated: true });
  }
  if (object.type === 'search') {
    for (const field of object.attributes.columns as string[]) used.push({ field, aggregated: false });
    for (const [field] of object.attributes.sort as Array<[string, string]>) used.push({ field, aggregated: true });
  }
  return used;
}

describe('Kibana / OpenSearch Dashboards saved objects (deploy/kibana/saved_objects.ndjson)', () => {
  it('has the saved search of errors and a dashboard of the three views, with unique ids', () => {
    expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
    const search = objects.find((o) => o.type === 'search' && o.id === 'sluice-errors');
    expect(searchSource(search!).query.query).toMatch(/log\.level/);
    const dashboard = objects.find((o) => o.type === 'dashboard');
    const panels = JSON.parse(dashboard!.attributes.panelsJSON as string) as Array<{ panelRefName: string }>;
    const shown = panels.map((p) => dashboard!.references.find((r) => r.name === p.panelRefName));
    // Every panel points at an object of this file, of the right type.
    for (const ref of shown) expect(objects.find((o) => o.id === ref?.id && o.type === ref?.type), JSON.stringify(ref)).toBeDefined();
    const visualizations = shown.map((ref) => objects.find((o) => o.id === ref?.id)!).filter((o) => o.type === 'visualization');
    const aggFields = visualizations.map((v) => fieldsOf(v).filter((f) => f.aggregated).map((f) => f.field));
    expect(aggFields).toContainEqual(expect.arrayContaining(['@timestamp', 'log.level']));
    expect(aggFields).toContainEqual(expect.arrayContaining(['error.fingerprint']));
    expect(aggFields).toContainEqual(['http.response.status_code']);
    expect(shown.map((r) => r?.id)).toContain('sluice-errors');
  });

  it('every search and visualization reads the sluice data view', () => {
    for (const object of objects.filter((o) => o.type !== 'dashboard')) {
      const source = searchSource(object);
      expect(source.query.language, object.id).toBe('kuery');
      const ref = object.references.find((r) => r.name === source.indexRefName);
      expect(ref, object.id).toEqual({ name: source.indexRefName, type: 'index-pattern', id: 'sluice' });
    }
  });

  it('every field they use is mapped by the index template (aggregated ones not as text)', () => {
    for (const object of objects) {
      for (const { field, aggregated } of fieldsOf(object)) {
        const type = templateType(field);
        if (type === undefined) {
          expect(MAPPED_BY_THE_ENGINE[field], `${object.id}: ${field} is not in outputs/elasticsearch/template.ts`).toBeDefined();
          continue;
        }
        if (aggregated) expect(['keyword', 'date', 'integer', 'long'], `${object.id}: ${field} is ${type}`).toContain(type);
      }
    }
  });
});

describe('docker-compose.yml and docker-compose.opensearch.yml', () => {
  const compose = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8')) as { services: Record<string, { image: string; depends_on?: Record<string, { condition: string }>; entrypoint?: string[]; volumes?: string[]; environment?: string[] }> };
  const version = (image: string) => image.split(':')[1];

  const script = 'deploy/setup_dashboards.sh';
  for (const [file, engine, dashboards] of [
    ['docker-compose.yml', 'elasticsearch', 'kibana'],
    ['docker-compose.opensearch.yml', 'opensearch', 'opensearch-dashboards'],
  ] as const) {
    it(`${file}: the engine, its dashboards of the same version, sluice, and a setup that waits for the dashboards`, () => {
      const { services } = compose(file);
      expect(Object.keys(services).sort()).toEqual([dashboards, engine, 'setup', 'sluice'].sort());
      expect(version(services[dashboards].image)).toBe(version(services[engine].image));
      expect(services[dashboards].depends_on?.[engine].condition).toBe('service_healthy');
      expect(services.sluice.depends_on?.[engine].condition).toBe('service_healthy');
      expect(services.sluice.environment).toContain(`ELASTICSEARCH_URL=http://${engine}:9200`);
      expect(services.setup.depends_on?.[dashboards].condition).toBe('service_healthy');
      // The setup script runs from the mounted deploy/ folder, and is valid sh.
      expect(services.setup.volumes).toContain('./deploy:/deploy:ro');
      expect(services.setup.entrypoint).toEqual(['sh', `/${script}`, dashboards, `http://${dashboards}:5601`]);
      expect(existsSync(join(ROOT, script))).toBe(true);
      execFileSync('sh', ['-n', join(ROOT, script)]);
      const text = readFileSync(join(ROOT, script), 'utf8');
      expect(text).toContain('sluice-*');
      expect(text).toContain('@timestamp');
      expect(text).toMatch(/saved_objects\/_import\?overwrite=true/);
      expect(text).toContain('saved_objects.ndjson');
    });

    it(`${file}: docker-compose config accepts it`, () => {
      // Debian's docker-compose (test/interop/compose/setup.sh) parses and validates without a Docker engine.
      const out = execFileSync('docker-compose', ['-f', join(ROOT, file), 'config', '--services'], { encoding: 'utf8' });
      expect(out.trim().split('\n').sort()).toEqual([dashboards, engine, 'setup', 'sluice'].sort());
    });
  }
});

describe('docker-compose.kafka.yml (README "Scaling out")', () => {
  const file = 'docker-compose.kafka.yml';
  type Service = { image: string; command?: string[]; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string> };
  const services = () => (parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as { services: Record<string, Service> }).services;
  const tiers = { shipper: 'deploy/kafka/shipper.yml', indexer: 'deploy/kafka/indexer.yml' } as const;

  it('two shippers and two indexers on the pipelines in deploy/kafka/, after one npm ci and a healthy broker', () => {
    const all = services();
    for (const name of ['shipper-1', 'shipper-2', 'indexer-1', 'indexer-2']) {
      const tier = name.split('-')[0] as keyof typeof tiers;
      expect(all[name].command, name).toEqual(['node', ...PIPELINE_NODE_FLAGS, 'bin/sluice.js', 'run', '-c', tiers[tier]]);
      expect(all[name].depends_on?.install.condition, name).toBe('service_completed_successfully');
      expect(all[name].depends_on?.kafka.condition, name).toBe('service_healthy');
      expect(all[name].environment?.KAFKA_BOOTSTRAP, name).toBe('kafka:9092');
    }
    expect(all['indexer-1'].depends_on?.elasticsearch.condition).toBe('service_healthy');
    expect(all.install.command).toEqual(['npm', 'ci']);
  });

  for (const [tier, path] of Object.entries(tiers)) {
    it(`${path}: sluice check accepts the ${tier} pipeline`, async () => {
      const result = await runSluiceCommand(['check', '-c', join(ROOT, path)], { KAFKA_BOOTSTRAP: 'kafka:9092', ELASTICSEARCH_URL: 'http://elasticsearch:9200' });
      expect(result.code, result.stderr).toBe(0);
    });
  }

  it('docker-compose config accepts it', () => {
    const out = execFileSync('docker-compose', ['-f', join(ROOT, file), 'config', '--services'], { encoding: 'utf8' });
    expect(out.trim().split('\n').sort()).toEqual(['elasticsearch', 'indexer-1', 'indexer-2', 'install', 'kafka', 'shipper-1', 'shipper-2']);
  });
});

describe('the node flags the pipeline runs with', () => {
  const nodeCommand = `node ${PIPELINE_NODE_FLAGS.join(' ')} bin/sluice.js run`;

  it('npm start and the compose files start sluice with them', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(nodeCommand);
    for (const file of ['docker-compose.yml', 'docker-compose.opensearch.yml']) {
      const { services } = parse(readFileSync(join(ROOT, file), 'utf8')) as { services: { sluice: { command: string[] } } };
      expect(services.sluice.command.join(' '), file).toContain(`exec ${nodeCommand}`);
    }
  });

  it('workers get the ones the user did not set, on the command line or in NODE_OPTIONS', () => {
    expect(workerNodeFlags([], undefined)).toEqual([...PIPELINE_NODE_FLAGS]);
    expect(workerNodeFlags(['--max-semi-space-size=32'], undefined)).toEqual([]);
    expect(workerNodeFlags([], '--inspect --max_semi_space_size=2')).toEqual([]);
    expect(workerNodeFlags(['--cpu-prof'], '')).toEqual([...PIPELINE_NODE_FLAGS]);
  });
});

