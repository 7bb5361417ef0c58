import { token } from './api.js';

/**
 * Follows GET /events through fetch, not EventSource: EventSource cannot send the Authorization header,
 * and a token in a URL would end up in logs and history. The stream is parsed as Server-Sent Events; a
 * broken stream is reopened with Last-Event-ID set to the last event seen, so nothing is missed.
 *
 * `onOpen` runs each time the stream is (re)established: whatever was loaded before may have missed
 * events, so the page reloads its view then. `onEvent` gets each event's JSON.
 */
export function followEvents({ onOpen, onEvent, onState }) {
  let lastId;
  let stopped = false;
  let controller;
  let delay = 1000;

  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { authorization: `Bearer ${token.get() ?? ''}`, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const res = await fetch('/events', { headers, signal: controller.signal, cache: 'no-store' });
        if (res.status === 401) {
          onState('signed out');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onState('live');
        delay = 1000;
        onOpen();
        await read(res.body);
      } catch (err) {
        if (stopped) return;
        onState(`reconnecting (${err instanceof Error ? err.message : 'stream closed'})`);
      }
      if (stopped) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  }

  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  function dispatch(block) {
    let id;
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id) lastId = id;
    if (data.length === 0) return;
    try {
      onEvent(JSON.parse(data.join('\n')));
    } catch {
      // An event this page cannot read is skipped; its position is kept, so the stream goes on.
    }
  }

  connect();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
