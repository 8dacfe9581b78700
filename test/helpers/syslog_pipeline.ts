/** The pipeline the syslog interop tests run: the syslog input on OS-chosen ports into stdout, with metadata. */
import type { TestCertificates } from './certs.js';

/** With `tls`, TCP only and TLS with a required client certificate signed by the test CA. */
export function syslogPipeline(tls?: TestCertificates): string {
  const tlsBlock = tls ? `\n    protocols: [tcp]\n    tls:\n      cert: ${tls.serverCert}\n      key: ${tls.serverKey}\n      ca: ${tls.ca}\n      client_auth: required` : '';
  return `
api: { port: 0 }
inputs:
  - type: syslog
    id: syslog
    port: 0${tlsBlock}
outputs:
  - { type: stdout, metadata: true }
`;
}
