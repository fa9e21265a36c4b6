// The scoring view (/review/{studyId}/{epoch}): the night's hypnogram on top, a 30-s page of every
// channel, the epoch's explanation and the review queue beside it; scored from the keyboard.
import { api } from '../api.js';
import { session } from '../session.js';
import { navigate } from '../router.js';
import { h, toast } from '../ui/dom.js';
import { createHypnogram } from '../hypnogram/hypnogram-canvas.js';
import { createQueuePanel } from '../queue/queue-panel.js';
import { createEpochStore } from './epoch-store.js';
import { drawSignals } from './signals-canvas.js';
import { createChannelPanel } from './channel-panel.js';
import { createEpochPanel } from './epoch-panel.js';
import { createScoring } from './scoring.js';
import { actionOf, KEYMAP } from './keyboard.js';
import { signOffDialog } from './sign-off-dialog.js';

export function reviewView(view, studyId, firstEpoch) {
  const started = performance.now();
  performance.mark('review-open');
  const state = { epoch: firstEpoch, night: null, review: null, study: null, derivations: [], page: null, detail: null, firstPaint: false };
  const display = { gains: new Map(), hidden: new Set(), saliency: true, derivations: [], detail: null };
  const canCorrect = session.can('correct');
  const canSignOff = session.can('sign_off');
  const store = createEpochStore(studyId);
  let scoring = null;
  let busy = Promise.resolve();
  let closed = false;

  const signals = h('canvas.signals', { 'aria-label': 'Signals of the current epoch', role: 'img' });
  const axis = h('div.axis', {}, ...Array.from({ length: 7 }, (_, i) => h('span', {}, `${i * 5} s`)));
  const channels = createChannelPanel(display, () => redraw());
  const hypnogramCanvas = h('canvas.hypnogram', { 'aria-label': 'Hypnogram and hypnodensity of the night; click to open an epoch', role: 'img' });
  const hypnogram = createHypnogram(hypnogramCanvas, epoch => go(epoch));
  const epochPanel = createEpochPanel({
    set: stage => act(['set', stage]), accept: () => act(['accept']), revert: () => act(['revert']), undo: () => act(['undo']),
  });
  const queuePanel = createQueuePanel({
    open: epoch => go(epoch), accept: epoch => run(() => scoring.accept(epoch)), next: () => act(['next']), signOff: () => signOff(),
  });
  const title = h('h1.study-title', {}, studyId);
  const position = h('span.position', { id: 'epoch-position' });
  const saliencyToggle = h('button.toggle', { type: 'button', 'aria-pressed': 'true', onclick: () => act(['saliency']), title: 'Saliency heat map under the model’s traces (S)' }, 'Saliency ', h('kbd', {}, 'S'));
  const help = h('dialog.help', { 'aria-label': 'Keys' },
    h('h2', {}, 'Keys'),
    h('table', {}, ...KEYMAP.map(([k, what]) => h('tr', {}, h('th', {}, h('kbd', {}, k)), h('td', {}, what)))),
    h('form', { method: 'dialog' }, h('button.primary', {}, 'Close')));

  view.replaceChildren(h('section.review', {},
    h('div.review-head', {},
      h('a.back', { href: '/' }, '← Studies'), title, position,
      h('span.spacer', {}),
      saliencyToggle,
      h('button', { type: 'button', onclick: () => act(['help']), title: 'Keys (?)' }, 'Keys ', h('kbd', {}, '?')),
      h('a.button', { href: `/report/${studyId}` }, 'Report')),
    hypnogramCanvas,
    h('div.review-body', {},
      h('div.trace-area', {}, channels.element, h('div.canvas-wrap', {}, h('div.canvas-box', {}, signals), axis)),
      h('aside.side', {}, epochPanel.element, queuePanel.element)),
    help));

  const onKey = event => {
    if (closed || help.open || event.target.closest('input, textarea, select, dialog')) return;
    // Enter and Space on a focused control press it: keyboard users reach buttons and links with Tab.
    if ((event.key === 'Enter' || event.key === ' ') && event.target.closest('button, a[href], summary')) return;
    const action = actionOf(event);
    if (!action) return;
    event.preventDefault();
    act(action);
  };
  document.addEventListener('keydown', onKey);
  const resize = new ResizeObserver(() => redraw());
  resize.observe(signals);

  function width() { return Math.max(200, Math.min(4000, Math.round(signals.clientWidth || 900))); }

  // One change at a time, in order: a fast typist's keys are applied as typed.
  function run(task) {
    busy = busy.then(task).then(() => refreshReview()).catch(e => toast(e.message, 'error'));
    return busy;
  }

  async function act([name, argument]) {
    const count = state.night?.length ?? 0;
    switch (name) {
      case 'set': if (editable()) await run(async () => { await scoring.set(state.epoch, argument); advance(); }); break;
      case 'accept': if (editable()) await run(async () => { await scoring.accept(state.epoch); advance(); }); break;
      case 'revert': if (editable()) await run(() => scoring.revert(state.epoch)); break;
      case 'undo': if (editable()) await run(async () => { const e = await scoring.undo(); if (e !== null) go(e); else toast('Nothing to undo'); }); break;
      case 'move': go(state.epoch + argument); break;
      case 'goto': go(argument === 'first' ? 0 : count - 1); break;
      case 'next': nextToReview(); break;
      case 'saliency':
        display.saliency = !display.saliency;
        saliencyToggle.setAttribute('aria-pressed', String(display.saliency));
        redraw();
        break;
      case 'gain': state.page?.channels.forEach(c => display.gains.set(c.index, (display.gains.get(c.index) ?? 1) * argument)); redraw(); break;
      case 'help': help.showModal(); break;
      default: break;
    }
  }

  function editable() {
    if (!canCorrect) { toast(`Your role (${session.me().role}) cannot change stages: technicians and clinicians score.`, 'error'); return false; }
    if (state.review?.signed_off) { toast('This study is signed off: its hypnogram is locked.', 'error'); return false; }
    return Boolean(scoring);
  }

  function advance() { if (state.epoch < state.night.length - 1) go(state.epoch + 1); else showEpoch(); }

  function nextToReview() {
    const queue = state.review?.queue ?? [];
    const at = queue.findIndex(q => q.index === state.epoch);
    const order = [...queue.slice(at + 1), ...queue.slice(0, at + 1)];
    const next = order.find(q => !q.reviewed && q.index !== state.epoch);
    if (next) go(next.index); else toast('Every epoch in the queue is reviewed.');
  }

  function go(epoch) {
    if (!state.night) return;
    const e = Math.max(0, Math.min(state.night.length - 1, epoch));
    if (e === state.epoch && state.page) return;
    performance.mark('page-change-start');
    state.epoch = e;
    history.replaceState(null, '', `/review/${studyId}/${e}`);
    showPage(true);
  }

  // Draws from memory when the page is prefetched; otherwise fetches, then draws.
  function showPage(measure) {
    const e = state.epoch;
    const w = width();
    const page = store.peekSignals(e, w);
    state.detail = store.peekDetail(e);
    if (page) paint(page, measure);
    else store.signals(e, w).then(p => { if (state.epoch === e && !closed) paint(p, measure); }).catch(err => toast(err.message, 'error'));
    if (!state.detail) store.detail(e).then(d => { if (state.epoch === e && !closed) { state.detail = d; redraw(); showEpoch(); } }).catch(() => {});
    showEpoch();
    hypnogram.setCurrent(e);
    store.prefetch(e, w);
  }

  function paint(page, measure) {
    state.page = page;
    redraw();
    if (measure) performance.measure('page-change', 'page-change-start');
    if (!state.firstPaint) {
      state.firstPaint = true;
      performance.measure('study-first-paint', 'review-open');
      signals.dataset.firstPaintMs = String(Math.round(performance.now() - started));
    }
    signals.dataset.epoch = String(state.epoch);
  }

  function redraw() {
    if (!state.page || closed) return;
    display.detail = state.detail;
    drawSignals(signals, state.page, display);
    channels.render(state.page, signals.clientHeight);
  }

  function showEpoch() {
    if (!state.night) return;
    const e = state.epoch;
    position.textContent = `Epoch ${e + 1} / ${state.night.length}`;
    epochPanel.show({
      epoch: e, count: state.night.length, startTime: state.study?.start_time, row: state.night[e],
      queueItem: state.review?.queue.find(q => q.index === e), detail: state.detail,
      locked: Boolean(state.review?.signed_off), canCorrect,
    });
    if (state.review) queuePanel.show(state.review, e, { canCorrect, canSignOff });
  }

  async function refreshReview() {
    state.review = await api.get(`/api/v1/studies/${studyId}/review`);
    hypnogram.setNight(state.night);
    showEpoch();
  }

  function signOff() {
    signOffDialog(view, state.review, async statement => {
      await api.send('POST', `/api/v1/studies/${studyId}/sign-off`, { statement: statement || null });
      toast('Signed off: the hypnogram is locked.');
      await refreshReview();
    });
  }

  (async () => {
    try {
      // The page of signals is asked for first, beside the rest: it decides the first paint.
      store.signals(firstEpoch, width()).catch(() => {});
      store.detail(firstEpoch).catch(() => {});
      const [study, stages, review] = await Promise.all([
        api.get(`/api/v1/studies/${studyId}`),
        api.get(`/api/v1/studies/${studyId}/hypnogram?format=stages`),
        api.get(`/api/v1/studies/${studyId}/review`),
      ]);
      if (closed) return;
      state.study = study;
      state.night = stages.epochs;
      state.review = review;
      display.derivations = stages.derivations.map(d => d.name);
      title.textContent = study.label || study.id;
      title.title = study.id;
      state.epoch = Math.max(0, Math.min(stages.epochs.length - 1, firstEpoch));
      store.setCount(stages.epochs.length);
      scoring = createScoring(studyId, state.night, () => hypnogram.setNight(state.night));
      hypnogram.setNight(state.night);
      showPage(false);
      view.focus();
    } catch (e) {
      if (e.status === 409) { toast('This study is not scored yet.', 'error'); navigate('/'); return; }
      toast(e.message, 'error');
    }
  })();

  return {
    leave() {
      closed = true;
      document.removeEventListener('keydown', onKey);
      resize.disconnect();
    },
  };
}
