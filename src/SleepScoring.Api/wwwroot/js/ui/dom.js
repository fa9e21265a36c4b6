// Small DOM and formatting helpers shared by the views.

/** h('button.primary', { onclick }, 'Text', child) — an element with classes, attributes and children. */
export function h(spec, attributes = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const element = document.createElement(tag || 'div');
  if (classes.length) element.className = classes.join(' ');
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  element.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return element;
}

export const minutes = m => (m === null || m === undefined ? '–' : `${m.toFixed(1)} min`);
export const percent = p => (p === null || p === undefined ? '–' : `${p.toFixed(1)} %`);
export const clock = seconds => {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
export const dateTime = text => (text ? new Date(text).toISOString().slice(0, 16).replace('T', ' ') : '–');

/** The stage colours of the service's plots (SleepScoring.Rendering.StagePalette). */
export const STAGE_COLORS = { W: '#e8a820', R: '#d63a3a', N1: '#8cc8eb', N2: '#357ec7', N3: '#162e74', unscored: '#b0b0b0', artefact: '#b0b0b0' };
export const STAGES = ['W', 'N1', 'N2', 'N3', 'R'];
/** Hypnogram rows top to bottom: W, R, N1, N2, N3. */
export const DISPLAY_ROW = { W: 0, R: 1, N1: 2, N2: 3, N3: 4 };

let toastTimer;
/** A short message at the bottom of the page (errors stay longer). */
export function toast(text, kind = 'info') {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.className = 'toast'; }, kind === 'error' ? 8000 : 2500);
}
