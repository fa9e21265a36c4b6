// The channel column beside the traces: label, unit scale, the model's mark, gain − / + and
// hide; hidden channels listed below to show again. Rows line up with the canvas rows.
import { h } from '../ui/dom.js';
import { scaleOf } from './signals-canvas.js';

export function createChannelPanel(view, onChange) {
  const rows = h('div.channel-rows');
  const hidden = h('div.channel-hidden');
  const element = h('div.channels', { 'aria-label': 'Channels' }, rows, hidden);

  function render(page, height) {
    const visible = page.channels.filter(c => !view.hidden.has(c.index));
    const rowHeight = visible.length ? height / visible.length : height;
    rows.replaceChildren(...visible.map(c => {
      const gain = view.gains.get(c.index) ?? 1;
      const row = h('div.channel', { dataset: { channel: c.index, kind: c.kind } },
        h('span.label', { title: `${c.label} · ${c.sampling_rate} Hz · ${c.prefiltering || 'no prefiltering stated'}` }, c.label),
        c.model_derivations.length ? h('span.model', { title: `the model reads this channel for ${c.model_derivations.join(', ')}` }, 'model') : '',
        h('span.scale', {}, scaleOf(c, gain).label),
        h('span.tools', {},
          h('button.tiny', { type: 'button', 'aria-label': `Less gain for ${c.label}`, onclick: () => { view.gains.set(c.index, gain / 1.5); onChange(); } }, '−'),
          h('button.tiny', { type: 'button', 'aria-label': `More gain for ${c.label}`, onclick: () => { view.gains.set(c.index, gain * 1.5); onChange(); } }, '+'),
          h('button.tiny', { type: 'button', 'aria-label': `Hide ${c.label}`, onclick: () => { view.hidden.add(c.index); onChange(); } }, '×')));
      row.style.height = `${rowHeight}px`;
      return row;
    }));
    const off = page.channels.filter(c => view.hidden.has(c.index));
    hidden.replaceChildren(...(off.length ? [h('span', {}, 'Hidden: '), ...off.map(c => h('button.small', {
      type: 'button', onclick: () => { view.hidden.delete(c.index); onChange(); },
    }, `show ${c.label}`))] : []));
  }

  return { element, render };
}
