/**
 * Which engine answers (`GET /`): flavor and version decide the template API. A URL that answers
 * something else (a login page, a proxy's error, a redirect, Kibana) is named as such, with the
 * HTTP status and content type, and what to change.
 */
import { STATUS_CODES } from 'node:http';
import { OutputError } from '../../pipeline/errors.js';

export interface EngineInfo {
  flavor: 'elasticsearch' | 'opensearch';
  version: string;
  major: number;
  minor: number;
}

/** What `GET /` returned, as much of it as identifies the thing that answered. */
export interface EngineReply {
  status: number;
  text: string;
  contentType?: string | undefined;
  location?: string | undefined;
}

function statusText(status: number): string {
  return `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
}

/** `text/html`, or "no content type"; the first words of an HTML page's title help name the service. */
function bodyKind(reply: EngineReply): string {
  const type = reply.contentType?.split(';')[0]?.trim() || 'no content type';
  const title = /<title[^>]*>([^<]{1,80})/i.exec(reply.text)?.[1]?.trim();
  return title ? `${type}, a page titled ${JSON.stringify(title)}` : type;
}

function notEngine(url: string, what: string, advice: string, reply: EngineReply): OutputError {
  return new OutputError('SLUICE_OUTPUT_NOT_ENGINE', `${url} ${what}: ${advice}`, true, { url, status: reply.status, content_type: reply.contentType });
}

/** The engine behind `url`, from its answer to `GET /`; an OutputError with a code saying what answered instead. */
export function engineFromReply(url: string, reply: EngineReply): EngineInfo {
  const { status } = reply;
  if (status === 401) {
    throw new OutputError('SLUICE_OUTPUT_AUTH', `${url} answered 401 Unauthorized: the engine wants credentials, or refused the ones given; set user and password (or api_key) on this output`, true, { url, status });
  }
  if (status === 403) {
    throw new OutputError('SLUICE_OUTPUT_AUTH', `${url} answered 403 Forbidden: the credentials are valid but may not read the engine's info (GET /); give that user the cluster monitor privilege`, true, { url, status });
  }
  if (status >= 300 && status < 400) {
    const where = reply.location ? `, a redirect to ${reply.location}` : ', a redirect';
    throw notEngine(url, `answered ${statusText(status)}${where}`, 'sluice does not follow redirects; set hosts to the engine\'s own URL (https:// if the redirect says so)', reply);
  }
  let body: { version?: { number?: unknown; distribution?: unknown } } | undefined;
  try {
    body = JSON.parse(reply.text) as typeof body;
  } catch {
    body = undefined;
  }
  if (status >= 500 && body !== undefined) {
    // An engine that is starting or has no master answers JSON 503: it is the engine, not ready yet.
    throw new OutputError('SLUICE_OUTPUT_REQUEST', `${url} answered ${statusText(status)}: the engine is not ready (${reply.text.slice(0, 200)})`, true, { url, status });
  }
  if (body === undefined || typeof body !== 'object' || body === null) {
    throw notEngine(url, `answered ${statusText(status)} with ${bodyKind(reply)}, not JSON`, 'this is not Elasticsearch or OpenSearch (a proxy, a web server or Kibana?); check the host and port in hosts (the engine usually listens on 9200)', reply);
  }
  if (status >= 400) {
    throw notEngine(url, `answered ${statusText(status)}: ${reply.text.slice(0, 200)}`, 'check the URL in hosts (a path prefix or a proxy in front of the engine?)', reply);
  }
  const number = body.version?.number;
  if (typeof number !== 'string') {
    throw notEngine(url, `answered ${statusText(status)} with JSON that has no version.number`, 'this is not Elasticsearch or OpenSearch; check the host and port in hosts', reply);
  }
  return engineInfo(url, number, body.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch');
}

function engineInfo(url: string, number: string, flavor: EngineInfo['flavor']): EngineInfo {
  const [major, minor] = number.split('.').map((n) => Number.parseInt(n, 10));
  const supported = flavor === 'elasticsearch' ? major >= 7 && major <= 9 : major >= 1 && major <= 3;
  if (!supported) {
    const range = flavor === 'elasticsearch' ? '7, 8 and 9 are' : '1 to 3 are';
    throw new OutputError('SLUICE_OUTPUT_ENGINE_VERSION', `${url} is ${flavor === 'elasticsearch' ? 'Elasticsearch' : 'OpenSearch'} ${number}, which is not supported (${range})`, false, { url, version: number });
  }
  return { flavor, version: number, major, minor: minor || 0 };
}

/** Composable `_index_template` exists from Elasticsearch 7.8 and in every OpenSearch. */
export function supportsIndexTemplate(info: EngineInfo): boolean {
  return info.flavor === 'opensearch' || info.major > 7 || (info.major === 7 && info.minor >= 8);
}
