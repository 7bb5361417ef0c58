export interface SseMessage {
  /** The `id:` field ('' when absent). */
  id: string;
  /** The `event:` field ('' when absent). */
  event: string;
  data: string;
}

/**
 * Splits what has arrived of a Server-Sent Events stream into complete messages and the unfinished
 * rest (to prepend to the next chunk). Comment lines (keep-alives) and messages without data are
 * dropped; multi-line data is joined with newlines, as EventSource does.
 */
export function takeSseMessages(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id = '';
    let event = '';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) messages.push({ id, event, data: data.join('\n') });
  }
  return { messages, rest };
}
