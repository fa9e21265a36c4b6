// Pages of signals and epoch details, fetched once and kept, with the neighbours prefetched, so
// paging draws from memory (the page-change target is ≤ 50 ms).
import { api } from '../api.js';

const EPOCH_SECONDS = 30;
const PREFETCH = [1, -1, 2, -2, 3];

export function createEpochStore(studyId) {
  let epochCount = Infinity;
  const signals = new Map(); // `${epoch}:${width}` → { promise, value }
  const details = new Map(); // epoch → { promise, value }

  function cached(map, key, load) {
    let entry = map.get(key);
    if (!entry) {
      entry = { value: null };
      entry.promise = load().then(v => { entry.value = v; return v; }, e => { map.delete(key); throw e; });
      map.set(key, entry);
    }
    return entry;
  }

  const store = {
    setCount(count) { epochCount = count; },
    signals(epoch, width) {
      return cached(signals, `${epoch}:${width}`, () =>
        api.get(`/api/v1/studies/${studyId}/signals?start=${epoch * EPOCH_SECONDS}&duration=${EPOCH_SECONDS}&width=${width}`)).promise;
    },
    detail(epoch) {
      return cached(details, epoch, () => api.get(`/api/v1/studies/${studyId}/epochs/${epoch}`)).promise;
    },
    /** The page if it is already here (drawn without waiting), else null. */
    peekSignals: (epoch, width) => signals.get(`${epoch}:${width}`)?.value ?? null,
    peekDetail: epoch => details.get(epoch)?.value ?? null,
    prefetch(epoch, width) {
      for (const offset of PREFETCH) {
        const e = epoch + offset;
        if (e < 0 || e >= epochCount) continue;
        store.signals(e, width).catch(() => {});
        store.detail(e).catch(() => {});
      }
    },
  };
  return store;
}
