// Beside the page: the epoch, its stages, the stage buttons, the model's probabilities and how
// much each neighbouring epoch weighed in the model's decision.
import { h, STAGES, STAGE_COLORS, clock } from '../ui/dom.js';

const KEYS = { W: 'W / 0', N1: '1', N2: '2', N3: '3', R: 'R / 5' };

export function createEpochPanel(actions) {
  const title = h('h2.epoch-title');
  const stages = h('p.stages');
  const reasons = h('p.reasons');
  const buttons = STAGES.map(s => h('button.stage', {
    type: 'button', dataset: { stage: s }, title: `Score ${s} and advance (${KEYS[s]})`, onclick: () => actions.set(s),
  }, h('span.swatch', {}), s, h('kbd', {}, KEYS[s].split(' / ').pop())));
  buttons.forEach(b => { b.querySelector('.swatch').style.background = STAGE_COLORS[b.dataset.stage]; });
  const accept = h('button.primary', { type: 'button', onclick: actions.accept, title: 'Accept the model’s stage and advance (Enter)' }, 'Accept ', h('kbd', {}, '⏎'));
  const revert = h('button', { type: 'button', onclick: actions.revert, title: 'Back to the model’s stage, unreviewed (Backspace)' }, 'Revert ', h('kbd', {}, '⌫'));
  const undo = h('button', { type: 'button', onclick: actions.undo, title: 'Undo the last change (Ctrl+Z or U)' }, 'Undo ', h('kbd', {}, 'U'));
  const probabilities = h('div.columns.probabilities', { 'aria-label': 'Stage probabilities' });
  const neighbours = h('div.columns.neighbours', { 'aria-label': 'Neighbour influence' });
  const element = h('section.epoch-panel', { 'aria-label': 'Current epoch' },
    title, stages, reasons,
    h('div.stage-buttons', {}, ...buttons),
    h('div.row-buttons', {}, accept, revert, undo),
    h('div.explain', {},
      h('div', {}, h('h3', {}, 'Probability'), probabilities),
      h('div', {}, h('h3', {}, 'Neighbour weight'), neighbours)));

  return {
    element,
    show({ epoch, count, startTime, row, queueItem, detail, locked, canCorrect }) {
      title.textContent = `Epoch ${epoch + 1} of ${count}`;
      title.title = `index ${epoch}`;
      const at = startTime ? new Date(new Date(startTime).getTime() + epoch * 30_000).toISOString().slice(11, 19) : clock(epoch * 30);
      stages.replaceChildren(
        h('span', {}, `${at} · model `), h('strong', { dataset: { stage: row.model_stage } }, row.model_stage),
        h('span', {}, ' · scorer '), h('strong.scorer', { dataset: { stage: row.scorer_stage || '' } }, row.scorer_stage || '—'));
      reasons.textContent = queueItem
        ? `In the queue: ${queueItem.reasons.join(', ').replaceAll('_', ' ')} · p(wrong) ${queueItem.wrong_probability.toFixed(2)} × ${queueItem.impact_minutes.toFixed(1)} min; if wrong, most likely ${queueItem.alternative}`
        : '';
      const current = row.scorer_stage || row.model_stage;
      buttons.forEach(b => { b.classList.toggle('current', b.dataset.stage === current); b.disabled = locked || !canCorrect; });
      [accept, revert, undo].forEach(b => { b.disabled = locked || !canCorrect; });
      probabilities.replaceChildren(...STAGES.map((s, k) => {
        const p = row.probabilities ? row.probabilities[k] : 0;
        const column = h('span.col', { title: `${s}: ${p.toFixed(2)}` });
        column.style.height = `${Math.max(2, p * 100)}%`;
        column.style.background = STAGE_COLORS[s];
        return h('span.n', { dataset: { stage: s, p: p.toFixed(2) } }, h('span.bar', {}, column), h('span.offset', {}, s, h('br'), p.toFixed(2)));
      }));
      const weights = detail?.saliency?.neighbours ?? [];
      const max = Math.max(1e-9, ...weights.map(n => n.weight));
      neighbours.replaceChildren(...weights.map(n => {
        const column = h('span.col', { title: `epoch ${n.offset >= 0 ? '+' : ''}${n.offset}: weight ${n.weight.toFixed(3)}` });
        column.style.height = `${Math.max(2, (n.weight / max) * 100)}%`;
        if (n.offset === 0) column.classList.add('self');
        const label = n.offset % 5 !== 0 ? '' : n.offset > 0 ? `+${n.offset}` : `${n.offset}`;
        return h('span.n', {}, h('span.bar', {}, column), h('span.offset', {}, label || '\u00a0'));
      }));
      if (!weights.length) neighbours.textContent = detail ? 'no explanation for this epoch' : '…';
    },
  };
}
