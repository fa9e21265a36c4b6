// Scoring from the keyboard alone. R&K tools' digits (0 = W, 5 = R) and letters both work.
export const KEYMAP = [
  ['W or 0', 'Score Wake and advance'],
  ['1 / 2 / 3', 'Score N1 / N2 / N3 and advance'],
  ['R or 5', 'Score REM and advance'],
  ['Enter', 'Accept the model’s stage and advance'],
  ['Backspace', 'Revert to the model’s stage (unreviewed)'],
  ['Ctrl+Z or U', 'Undo the last change'],
  ['← → / PageUp PageDown', 'Previous / next epoch'],
  ['Home / End', 'First / last epoch'],
  ['N', 'Next epoch needing review (queue order)'],
  ['S', 'Saliency heat map on / off'],
  ['+ / −', 'Gain of all channels up / down'],
  ['?', 'Show these keys'],
];

const STAGE_KEYS = { w: 'W', 0: 'W', 1: 'N1', 2: 'N2', 3: 'N3', r: 'R', 5: 'R' };

/** Maps a keydown to an action name and argument, or null. */
export function actionOf(event) {
  if (event.altKey || event.metaKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (event.ctrlKey) return key === 'z' ? ['undo'] : null;
  if (key in STAGE_KEYS) return ['set', STAGE_KEYS[key]];
  switch (key) {
    case 'ArrowRight': case 'PageDown': return ['move', 1];
    case 'ArrowLeft': case 'PageUp': return ['move', -1];
    case 'Home': return ['goto', 'first'];
    case 'End': return ['goto', 'last'];
    case 'Enter': return ['accept'];
    case 'Backspace': return ['revert'];
    case 'u': return ['undo'];
    case 'n': return ['next'];
    case 's': return ['saliency'];
    case '+': case '=': return ['gain', 1.25];
    case '-': return ['gain', 0.8];
    case '?': return ['help'];
    default: return null;
  }
}
