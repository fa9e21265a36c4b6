// Live progress from GET /api/v1/studies/events (server-sent events read through fetch, because
// EventSource cannot send the key header). Reconnects while watched; calls onStudy per event.
import { api } from '../api.js';

export function watchProgress(onStudy) {
  const controller = new AbortController();
  let stopped = false;

  async function run() {
    while (!stopped) {
      try {
        const response = await api.request('GET', '/api/v1/studies/events', { signal: controller.signal, background: true });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
            if (block.includes('event: study') && data) onStudy(JSON.parse(data));
          }
        }
      } catch (e) {
        if (stopped || e.name === 'AbortError') return;
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }

  run();
  return () => { stopped = true; controller.abort(); };
}
