/** What a stream input needs from its framing: bytes in, whole messages out, in order. */
export interface Framer {
  push(chunk: Buffer, onFrame: (frame: string) => void): void;
  /** The stream ended: a last unterminated frame, if any. */
  end(onFrame: (frame: string) => void): void;
  /** Bytes held of a frame that has not ended yet (what is lost if the stream is cut now). */
  readonly heldBytes: number;
}

/** A frame that was skipped: too long, or with a length that cannot be one. */
export interface FrameError {
  reason: 'too_large' | 'bad_length';
  /** 1-based number of the frame on this stream. */
  frame: number;
  /** Offset of the frame's first byte in the stream. */
  offset: number;
  /** The frame's size: exact when its length or its end is known; else what had arrived (`atLeast`). */
  bytes: number;
  /** The stream ended inside the frame, so only a lower bound of its size is known. */
  atLeast?: true;
}
