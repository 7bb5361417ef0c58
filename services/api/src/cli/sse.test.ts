import { describe, expect, it } from 'vitest';
import { takeSseMessages } from './sse.js';

describe('takeSseMessages', () => {
  it('returns complete messages and keeps the unfinished rest for the next chunk', () => {
    const first = takeSseMessages(
      ': hello\n\nid: 1-0\nevent: project.delivered\ndata: {"a":1}\n\nid: 2-0\nda',
    );
    expect(first.messages).toEqual([{ id: '1-0', event: 'project.delivered', data: '{"a":1}' }]);
    const second = takeSseMessages(`${first.rest}ta: x\ndata: y\n\n: keep-alive\n\n`);
    expect(second).toEqual({ messages: [{ id: '2-0', event: '', data: 'x\ny' }], rest: '' });
  });

  it('reads CRLF line ends and drops messages without data', () => {
    expect(takeSseMessages('id: 3-0\r\n\r\ndata:z\r\n\r\n').messages).toEqual([
      { id: '', event: '', data: 'z' },
    ]);
  });
});
