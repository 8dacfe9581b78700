/**
 * Lines for the grok, dissect and kv benchmarks, in the formats the real programs write (the
 * shapes test/interop checks against nginx, Apache, HAProxy, PostgreSQL...), varied so that
 * no two lines are the same string.
 */

const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'curl/7.88.1',
  'python-requests/2.32.3',
];
const paths = ['/api/v1/orders/%d', '/static/app.%d.js', '/search?q=shoes&page=%d', '/healthz', '/images/product-%d.webp'];

/** nginx/Apache combined-format access lines. */
export function combinedLines(count: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const path = paths[i % paths.length].replace('%d', String(1000 + i));
    const second = String(i % 60).padStart(2, '0');
    const referrer = i % 3 === 0 ? '-' : `https://shop.example.com/category/${i % 97}`;
    lines.push(`${ip} - ${i % 5 === 0 ? 'alice' : '-'} [01/Dec/2026:19:46:${second} +0000] "GET ${path} HTTP/1.1" ${i % 17 === 0 ? 404 : 200} ${512 + (i % 40000)} "${referrer}" "${agents[i % agents.length]}"`);
  }
  return lines;
}

/** Lines of other formats that a combined-log pattern must reject: syslog, error logs, app logs, JSON. */
export function otherFormatLines(count: number): string[] {
  const shapes = [
    (i: number) => `<134>Dec  1 19:46:${String(i % 60).padStart(2, '0')} web-${i % 8} sshd[${2000 + i}]: Accepted publickey for deploy from 10.0.${i & 255}.7 port ${40000 + (i % 20000)} ssh2`,
    (i: number) => `2026/12/01 19:46:11 [error] 812#812: *${i} open() "/var/www/html/missing-${i}.png" failed (2: No such file or directory), client: 10.0.0.${i & 255}, server: localhost, request: "GET /missing-${i}.png HTTP/1.1", host: "shop.example.com"`,
    (i: number) => `2026-12-01 19:46:11.${String(i % 1000).padStart(3, '0')} UTC [${3000 + i}] postgres@shop ERROR:  duplicate key value violates unique constraint "orders_pkey"`,
    (i: number) => `19:46:11.${String(i % 1000).padStart(3, '0')} [http-nio-8080-exec-${i % 10}] INFO  c.e.orders.OrderService -- order ${i} created for customer ${i % 977}`,
    (i: number) => `[2026-12-01 19:46:11,${String(i % 1000).padStart(3, '0')}: INFO/MainProcess] Task tasks.send_email[4bf92f35-77b3-4da6-a3ce-${String(i).padStart(12, '0')}] succeeded in 0.0${i % 9}s: None`,
    (i: number) => `{"@timestamp":"2026-12-01T19:46:11.${String(i % 1000).padStart(3, '0')}Z","level":"INFO","message":"GET /api/v1/orders/${i} completed in ${i % 500}ms","logger_name":"orders.views"}`,
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length](i));
}

/** Combined lines broken near the end (a status that is not a number): every literal is there, in order; what follows `" ` tells. */
export function nearMissLines(count: number): string[] {
  return combinedLines(count).map((line) => line.replace(/" (\d{3}) /, '" OK$1 '));
}

/**
 * Combined lines broken after the status (a byte count that is not a number): the prefilter's literals and the
 * characters after them all fit, so the regex runs and backtracks to say no. What a miss costs past the prefilter.
 */
export function lateMissLines(count: number): string[] {
  return combinedLines(count).map((line) => line.replace(/" (\d{3}) (\d+) /, '" $1 x$2 '));
}

/** The fixed layout for dissect: hash, length, content type. */
export function fixedLayoutLines(count: number): string[] {
  const types = ['audio/mpeg', 'image/png', 'application/json', 'text/html'];
  return Array.from({ length: count }, (_, i) => `${(i * 2654435761).toString(16).padStart(40, '0').slice(-40)} ${1625 + i} ${types[i % types.length]}`);
}

/** logfmt lines for kv. */
export function logfmtLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `level=info ts=2026-12-01T19:46:11.${String(i % 1000).padStart(3, '0')}Z caller=server.go:${100 + (i % 50)} msg="request done" method=GET path=/api/v1/orders/${i} status=200 duration_ms=${i % 500}`);
}

/** One real-format line per library pattern, for the per-pattern profile. */
export const PATTERN_SAMPLES: Readonly<Record<string, string>> = {
  COMBINEDAPACHELOG: combinedLines(1)[0],
  HTTPD_ERRORLOG: '[Tue Dec 01 19:46:11.387063 2026] [core:info] [pid 1313:tid 1313] [client 127.0.0.1:49706] AH00128: File does not exist: /srv/www/no-such-file',
  NGINX_ERRORLOG: otherFormatLines(2)[1],
  HAPROXYHTTP: 'Dec  1 20:05:21 haproxy[2762]: 127.0.0.1:55608 [01/Dec/2026:20:05:21.351] web app/s1 0/0/0/3/3 200 1103 - - ---- 1/1/0/0/0 0/0 {shop.example.com} "GET /big?a=1 HTTP/1.1"',
  HAPROXYTCP: 'Dec  1 20:05:21 haproxy[2762]: 127.0.0.1:53224 [01/Dec/2026:20:05:21.305] raw app_tcp/s1 1/0/44 0 -- 2/1/0/0/0 0/0',
  SYSLOGLINE: otherFormatLines(1)[0],
  SYSLOG5424LINE: '<11>1 2026-12-01T19:46:11.123456+00:00 web-1 orders 77 ORD1 [meta@32473 shard="3"] order 9 failed',
  POSTGRESQL: otherFormatLines(3)[2],
  JAVA_LOGBACK: otherFormatLines(4)[3],
  JAVA_LOG4J_TTCC: '0 [main] WARN com.example.legacy.Billing  - invoice 17 overdue',
  CELERY_WORKER: otherFormatLines(5)[4],
  GUNICORN_ERROR: '[2026-12-01 19:46:11 +0000] [4242] [INFO] Booting worker with pid: 4242',
  DJANGO_RUNSERVER: '[01/Dec/2026 19:46:11] "GET /api/orders/42 HTTP/1.1" 200 13',
  PYTHON_LOGGING: 'WARNING:app.db:pool exhausted: 5 waiting',
};
