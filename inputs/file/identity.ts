/**
 * What a file is, independent of its name: the SHA-256 of its first `fingerprint_bytes` bytes
 * (a rename, a rotation or a copy keeps it; a new file on a reused inode does not share it).
 * A shorter file has no such fingerprint yet: it is known by device and inode, with the hash
 * of the bytes it had, so that a restart finds it again only if those bytes are still there,
 * and it is re-keyed once it has grown to the full length.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

export interface Identity {
  /** `sha256:<hex>` for a full fingerprint, `dev_inode:<dev>:<ino>` while shorter. */
  readonly key: string;
  /** Bytes hashed into `prefixHash` (the fingerprint length for a full fingerprint). */
  readonly prefixBytes: number;
  readonly prefixHash: string;
}

export function isFullFingerprint(identity: Identity, fingerprintBytes: number): boolean {
  return identity.prefixBytes >= fingerprintBytes;
}

export function identityOf(head: Buffer, dev: number, ino: number, fingerprintBytes: number): Identity {
  const bytes = Math.min(head.length, fingerprintBytes);
  const hash = createHash('sha256').update(head.subarray(0, bytes)).digest('hex');
  if (bytes >= fingerprintBytes) return { key: `sha256:${hash}`, prefixBytes: bytes, prefixHash: hash };
  return { key: `dev_inode:${dev}:${ino}`, prefixBytes: bytes, prefixHash: hash };
}

/** The first `fingerprintBytes` bytes of an open file (fewer if it is shorter). */
export async function readHead(handle: FileHandle, fingerprintBytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(fingerprintBytes);
  let filled = 0;
  while (filled < fingerprintBytes) {
    const { bytesRead } = await handle.read(buffer, filled, fingerprintBytes - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Whether a short identity recorded earlier still describes a file whose head is `head`. */
export function stillHolds(recorded: Identity, head: Buffer): boolean {
  if (head.length < recorded.prefixBytes) return false;
  return createHash('sha256').update(head.subarray(0, recorded.prefixBytes)).digest('hex') === recorded.prefixHash;
}
