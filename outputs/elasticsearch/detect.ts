/** Which engine answers (`GET /`): flavor and version decide the template API. */

export interface EngineInfo {
  flavor: 'elasticsearch' | 'opensearch';
  version: string;
  major: number;
  minor: number;
}

export function parseEngineInfo(text: string): EngineInfo {
  const body = JSON.parse(text) as { version?: { number?: string; distribution?: string } };
  const number = body.version?.number;
  if (typeof number !== 'string') throw new Error('GET / did not return a version: not Elasticsearch or OpenSearch?');
  const [major, minor] = number.split('.').map((n) => Number.parseInt(n, 10));
  const flavor = body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch';
  if (flavor === 'elasticsearch' && (major < 7 || major > 9)) throw new Error(`Elasticsearch ${number} is not supported (7, 8 and 9 are)`);
  if (flavor === 'opensearch' && (major < 1 || major > 3)) throw new Error(`OpenSearch ${number} is not supported (1 to 3 are)`);
  return { flavor, version: number, major, minor: minor || 0 };
}

/** Composable `_index_template` exists from Elasticsearch 7.8 and in every OpenSearch. */
export function supportsIndexTemplate(info: EngineInfo): boolean {
  return info.flavor === 'opensearch' || info.major > 7 || (info.major === 7 && info.minor >= 8);
}
