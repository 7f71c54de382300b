import type { Readable } from 'node:stream';

export type InputLine = { number: number; text: string } | { number: number; invalid: true };

const NEWLINE = 0x0a;

/**
 * The lines of `input`, each decoded strictly: a line that is not valid UTF-8 comes out as
 * invalid instead of with U+FFFD in place of its bytes (readline's decoding), so it can be
 * refused by number rather than searched as something nobody typed.
 */
export async function* utf8Lines(input: Readable): AsyncGenerator<InputLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let number = 0;
  const line = (bytes: Buffer): InputLine => {
    number += 1;
    try {
      return { number, text: decoder.decode(bytes).replace(/\r$/, '') };
    } catch {
      return { number, invalid: true };
    }
  };
  for await (const chunk of input) {
    let buffer = chunk as Buffer;
    for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE)) {
      yield line(Buffer.concat([...pending, buffer.subarray(0, at)]));
      pending = [];
      buffer = buffer.subarray(at + 1);
    }
    if (buffer.length > 0) pending.push(buffer);
  }
  if (pending.length > 0) yield line(Buffer.concat(pending));
}
