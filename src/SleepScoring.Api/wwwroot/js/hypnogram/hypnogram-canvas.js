// The whole night on one canvas: the model's hypnogram with the scorer's corrections over it, a
// strip of the scorer's stages (reviewed epochs), the hypnodensity, and the current epoch.
// Clicking jumps to the epoch under the pointer.
import { STAGE_COLORS, DISPLAY_ROW } from '../ui/dom.js';

const GUTTER = 34;
const ROWS = ['W', 'R', 'N1', 'N2', 'N3'];
const CLASSES = ['W', 'N1', 'N2', 'N3', 'R'];

export function createHypnogram(canvas, onPick) {
  let night = null;
  let current = 0;

  function layout() {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    return { width, height, left: GUTTER, right: width - 6, hypTop: 6, hypBottom: height * 0.56, stripTop: height * 0.6, stripBottom: height * 0.68, densTop: height * 0.72, densBottom: height - 4 };
  }

  function draw() {
    if (!night) return;
    const dpr = window.devicePixelRatio || 1;
    const L = layout();
    canvas.width = Math.round(L.width * dpr);
    canvas.height = Math.round(L.height * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, L.width, L.height);
    const n = night.length;
    const w = (L.right - L.left) / n;
    const x = i => L.left + i * w;
    const rowY = stage => L.hypTop + (DISPLAY_ROW[stage] + 0.5) * ((L.hypBottom - L.hypTop) / ROWS.length);

    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ROWS.forEach(stage => {
      ctx.fillStyle = '#5b6675';
      ctx.fillText(stage, 4, rowY(stage));
      ctx.strokeStyle = '#f0f1f4';
      ctx.beginPath(); ctx.moveTo(L.left, rowY(stage)); ctx.lineTo(L.right, rowY(stage)); ctx.stroke();
    });
    ctx.fillStyle = '#5b6675';
    ctx.fillText('scorer', 0, (L.stripTop + L.stripBottom) / 2);

    // Hypnodensity: stacked probabilities per epoch.
    night.forEach((e, i) => {
      if (!e.probabilities) return;
      let y0 = L.densBottom;
      CLASSES.forEach((c, k) => {
        const h = e.probabilities[k] * (L.densBottom - L.densTop);
        ctx.fillStyle = STAGE_COLORS[c];
        ctx.fillRect(x(i), y0 - h, w + 0.5, h);
        y0 -= h;
      });
    });

    // The model's hypnogram as a step line; unscored epochs are gaps.
    ctx.strokeStyle = '#202020';
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    let pen = false;
    night.forEach((e, i) => {
      if (!(e.model_stage in DISPLAY_ROW)) { pen = false; return; }
      const y = rowY(e.model_stage);
      if (pen) ctx.lineTo(x(i), y); else ctx.moveTo(x(i), y);
      ctx.lineTo(x(i + 1), y);
      pen = true;
    });
    ctx.stroke();

    // The scorer: reviewed epochs in the strip, corrections drawn over the hypnogram.
    night.forEach((e, i) => {
      if (!e.scorer_stage) return;
      ctx.fillStyle = STAGE_COLORS[e.scorer_stage] || '#999';
      ctx.fillRect(x(i), L.stripTop, Math.max(1, w), L.stripBottom - L.stripTop);
      if (e.scorer_stage !== e.model_stage && e.scorer_stage in DISPLAY_ROW) {
        ctx.fillStyle = '#f06a00';
        ctx.fillRect(x(i), rowY(e.scorer_stage) - 3, Math.max(2, w), 6);
      }
    });

    // Current epoch.
    ctx.fillStyle = 'rgba(20, 90, 200, 0.16)';
    ctx.fillRect(x(current) - 1, 0, Math.max(3, w + 2), L.height);
    ctx.strokeStyle = '#1458c8';
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x(current) - 1, 1, Math.max(3, w + 2), L.height - 2);
  }

  canvas.addEventListener('click', event => {
    if (!night) return;
    const L = layout();
    const rect = canvas.getBoundingClientRect();
    const i = Math.floor(((event.clientX - rect.left - L.left) / (L.right - L.left)) * night.length);
    if (i >= 0 && i < night.length) onPick(i);
  });
  new ResizeObserver(draw).observe(canvas);

  return {
    setNight(epochs) { night = epochs; draw(); },
    setCurrent(epoch) { current = epoch; draw(); },
    redraw: draw,
  };
}
