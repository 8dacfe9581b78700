/** `sluice convert`: the YAML pipeline a .conf file is translated into, with the reasons for each choice as comments. */
import { Document, isMap, isSeq } from 'yaml';
import type { Block } from './translate/rules.js';
import { translateLogstashText } from './index.js';

export function convertLogstashText(text: string, source: string): string {
  const translation = translateLogstashText(text, source, undefined);
  const { inputs, filters, outputs } = translation.document;
  const doc = new Document({ inputs, filters: filters.length > 0 ? filters : undefined, outputs });
  doc.commentBefore = ` Converted from ${source} by sluice convert; \${VAR:default} references became \${VAR:-default}.`;
  const sections: Array<[string, Block[]]> = [
    ['inputs', inputs],
    ['filters', filters],
    ['outputs', outputs],
  ];
  for (const [name, blocks] of sections) {
    const seq = doc.get(name, true);
    if (!isSeq(seq)) continue;
    blocks.forEach((block, i) => {
      const comments = translation.comments.get(block);
      const node = seq.items[i];
      if (comments && isMap(node)) node.commentBefore = comments.map((c) => ` ${c}`).join('\n');
    });
  }
  return doc.toString({ lineWidth: 0 });
}
