/** Plain text: each line is the `message` of one event. */
import type { LineCodec } from './line_codec.js';

export const linesCodec: LineCodec = {
  name: 'lines',
  decode(line, out) {
    out.push({ message: line });
    return 0;
  },
};
