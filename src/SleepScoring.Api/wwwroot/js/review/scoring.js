// Every stage change goes through the correction API (and so into the audit); the undo stack
// remembers what each epoch held before, so undo restores it exactly — including "unreviewed",
// which is a withdrawal of the scorer's stage.
import { api } from '../api.js';

export function createScoring(studyId, night, onChange) {
  const undo = [];
  const base = `/api/v1/studies/${studyId}/epochs`;

  async function apply(epoch, stage, reason) {
    const [record] = await api.send('PUT', `${base}/${epoch}/stage`, { stage, reason });
    night[epoch].scorer_stage = record.new_stage;
    return record;
  }

  async function withdraw(epoch, reason) {
    await api.send('DELETE', `${base}/${epoch}/stage`, reason ? { reason } : undefined);
    night[epoch].scorer_stage = null;
  }

  async function change(epoch, action) {
    const before = night[epoch].scorer_stage;
    await action();
    undo.push({ epoch, before });
    onChange(epoch);
  }

  return {
    /** The scorer's stage for the epoch (audited as a correction, or an acceptance when it is the model's). */
    set: (epoch, stage) => change(epoch, () => apply(epoch, stage, null)),
    /** The model's stage confirmed. */
    accept: epoch => change(epoch, () => apply(epoch, night[epoch].model_stage, 'accepted in review')),
    /** Back to the model's stage and unreviewed (the scorer's stage is withdrawn). */
    revert: epoch => (night[epoch].scorer_stage === null ? Promise.resolve() : change(epoch, () => withdraw(epoch, 'reverted to the model'))),
    async undo() {
      const last = undo.pop();
      if (!last) return null;
      try {
        if (last.before === null) await withdraw(last.epoch, 'undo');
        else await apply(last.epoch, last.before, 'undo');
      } catch (e) {
        undo.push(last);
        throw e;
      }
      onChange(last.epoch);
      return last.epoch;
    },
    canUndo: () => undo.length > 0,
  };
}
