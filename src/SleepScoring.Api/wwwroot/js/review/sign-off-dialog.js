// The sign-off asks once, in words, what signing means, and says how much of the queue is unreviewed.
import { h, toast } from '../ui/dom.js';

export function signOffDialog(container, review, sign) {
  const open = review.total - review.reviewed;
  const statement = h('textarea', { id: 'sign-off-statement', rows: 3, maxlength: 2000, placeholder: 'Optional statement for the record' });
  const dialog = h('dialog.sign-off-dialog', { 'aria-label': 'Sign off' },
    h('h2', {}, 'Sign off this study?'),
    h('p', {}, `Signing locks the hypnogram: no stage can change afterwards, and your name and the time go into the audit and the report. ${review.reviewed} of ${review.total} queue epochs are reviewed; ${review.reviewed_epochs} epochs have a scorer's stage, ${review.corrected_epochs} corrected.`),
    open > 0 ? h('p.warning', {}, `${open} queue epoch${open > 1 ? 's are' : ' is'} not reviewed: their model stages will be signed as they are.`) : '',
    h('label', { for: 'sign-off-statement' }, 'Statement'), statement,
    h('div.row-buttons', {},
      h('button.primary', { type: 'button', id: 'sign-off-confirm', onclick: async () => {
        try { await sign(statement.value.trim()); dialog.close(); } catch (e) { toast(e.message, 'error'); }
      } }, 'Sign off and lock'),
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel')));
  dialog.addEventListener('close', () => dialog.remove());
  container.append(dialog);
  dialog.showModal();
  statement.focus();
}
