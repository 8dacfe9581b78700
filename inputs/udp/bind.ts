/** Binds a UDP socket the way every UDP input does: a bind failure as SLUICE_LISTEN, then the receive buffer asked for. */
import type { Socket } from 'node:dgram';
import type { Logger } from '../../pipeline/logger.js';
import { listenError } from '../listen_error.js';

export interface UdpBinding {
  host: string;
  port: number;
  /** What the kernel granted (Linux: twice min(asked, net.core.rmem_max)). */
  receiveBufferBytes: number;
}

export function bindUdpSocket(socket: Socket, inputId: string, settings: { host: string; port: number; receive_buffer_bytes: number }, logger: Logger): Promise<UdpBinding> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(listenError(inputId, 'udp', settings.host, settings.port, err));
    socket.once('error', onError);
    socket.bind(settings.port, settings.host, () => {
      socket.off('error', onError);
      try {
        socket.setRecvBufferSize(settings.receive_buffer_bytes);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not set the UDP receive buffer size');
      }
      const address = socket.address();
      resolve({ host: address.address, port: address.port, receiveBufferBytes: socket.getRecvBufferSize() });
    });
  });
}
