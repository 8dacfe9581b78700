/** A listener that cannot bind, said with what to do about it (the commonest start-up failure). */
import { InputError } from '../pipeline/errors.js';

function advice(code: string | undefined, port: number): string {
  if (code === 'EADDRINUSE') return `port ${port} is already in use by another process: stop it, or set another port`;
  if (code === 'EACCES') return port < 1024 ? `ports below 1024 need root or CAP_NET_BIND_SERVICE: use a higher port` : 'permission denied';
  if (code === 'EADDRNOTAVAIL') return 'no network interface has this address: check host';
  return '';
}

export function listenError(inputId: string, transport: string, host: string, port: number, err: NodeJS.ErrnoException): InputError {
  const hint = advice(err.code, port);
  const message = `input ${inputId}: cannot listen on ${transport} ${host}:${port}: ${hint || err.message}`;
  return new InputError('SLUICE_LISTEN', message, { input: inputId, transport, host, port, errno: err.code }, { cause: err });
}
