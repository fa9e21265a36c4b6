// The review queue: epochs ranked by probability of being wrong × clinical impact, each one to
// open or accept, the progress (reviewed / total) and the clinician's sign-off.
import { h, dateTime } from '../ui/dom.js';

export function createQueuePanel(actions) {
  const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Queue reviewed' });
  const count = h('span.count', { id: 'queue-progress' });
  const list = h('ol.queue', { 'aria-label': 'Review queue' });
  const next = h('button', { type: 'button', onclick: actions.next, title: 'Next epoch needing review (N)' }, 'Next to review ', h('kbd', {}, 'N'));
  const signOff = h('button.primary.sign-off', { type: 'button', onclick: actions.signOff }, 'Sign off study…');
  const signed = h('p.signed', { role: 'status' });
  const element = h('section.queue-panel', { 'aria-label': 'Review queue' },
    h('div.queue-head', {}, h('h2', {}, 'Review queue'), count),
    progress,
    h('p.hint', {}, 'Ranked by p(wrong) × minutes the report would move: sleep onset, first REM, long wake bouts first.'),
    list,
    h('div.row-buttons', {}, next, signOff),
    signed);

  return {
    element,
    show(review, current, { canCorrect, canSignOff }) {
      const locked = Boolean(review.signed_off);
      // The list is redrawn after every change: a keyboard user's focus stays on the same row.
      const focused = list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.epoch : undefined;
      count.textContent = `${review.reviewed} / ${review.total} reviewed`;
      progress.max = Math.max(1, review.total);
      progress.value = review.reviewed;
      list.replaceChildren(...review.queue.map((q, rank) => h('li', {
        dataset: { epoch: q.index, reviewed: q.reviewed ? 'yes' : 'no' },
        class: q.index === current ? 'current' : null,
      },
      h('button.go', { type: 'button', onclick: () => actions.open(q.index), title: q.reasons.join(', ').replaceAll('_', ' ') },
        h('span.rank', {}, `${rank + 1}.`),
        h('span.where', {}, `#${q.index + 1}`),
        h('span.what', {}, `${q.model_stage}${q.scorer_stage && q.scorer_stage !== q.model_stage ? ` → ${q.scorer_stage}` : ''}`),
        h('span.why', {}, q.reasons.map(r => r.replace('_', ' ')).join(', ')),
        h('span.priority', {}, `${q.priority.toFixed(2)}`)),
      q.reviewed ? h('span.done', { title: 'reviewed' }, '✓') : h('button.accept.small', {
        type: 'button', disabled: locked || !canCorrect, onclick: () => actions.accept(q.index), 'aria-label': `Accept epoch ${q.index + 1} as ${q.model_stage}`,
      }, 'Accept'))));
      next.disabled = !review.queue.some(q => !q.reviewed);
      signOff.hidden = locked || !canSignOff;
      signed.textContent = locked ? `Signed off by ${review.signed_off.signed_by_name} (${review.signed_off.signed_by_role}) at ${dateTime(review.signed_off.signed_at)} UTC — the hypnogram is locked.` : '';
      list.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
      if (focused !== undefined) {
        const row = list.querySelector(`li[data-epoch='${focused}']`);
        (row?.querySelector('button.accept:not([disabled])') ?? row?.querySelector('button.go'))?.focus();
      }
    },
  };
}
