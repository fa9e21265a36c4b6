// Draws one 30-s page of every visible channel on a canvas: 1-s and 5-s grid lines, each channel in
// its row at its gain, and the model's saliency as a heat map under the traces it read.

const VOLT = { uV: 1, 'µV': 1, 'μV': 1, mV: 1000, V: 1e6 };
/** Default µV from a row's centre to its edge, by channel kind (EEG ±75 µV as on paper at 7.5 µV/mm). */
const HALF_RANGE_UV = { eeg: 75, eog: 150, emg: 50, ecg: 1000, respiration: 500, oximetry: 500, other: 100 };

/** µV-like units are centred on the page's mean (no DC offset); others span their physical range. */
export function scaleOf(channel, gain) {
  const perUnit = VOLT[channel.unit];
  const values = channel.samples ?? channel.min ?? [];
  if (perUnit) {
    let sum = 0; let n = 0;
    for (const v of values) if (v !== null) { sum += v; n++; }
    return { centre: n ? sum / n : 0, half: HALF_RANGE_UV[channel.kind] / perUnit / gain, label: `±${Math.round(HALF_RANGE_UV[channel.kind] / gain)} µV` };
  }
  const half = Math.max(1e-9, (channel.physical_maximum - channel.physical_minimum) / 2);
  return { centre: (channel.physical_maximum + channel.physical_minimum) / 2, half: half / gain, label: `±${+(half / gain).toPrecision(3)} ${channel.unit}` };
}

/**
 * Relevance 0–1 per saliency segment for the model's k-th derivation. The grid has one row per
 * image band, a derivation's views together (ModelInput), so its rows are merged by max.
 */
export function heatOf(saliency, k, derivationCount) {
  if (!saliency?.grid?.length || k < 0) return null;
  const perDerivation = Math.max(1, Math.floor(saliency.grid.length / Math.max(1, derivationCount)));
  const rows = saliency.grid.slice(k * perDerivation, (k + 1) * perDerivation);
  return rows[0].map((_, t) => Math.max(...rows.map(r => r[t])));
}

export function drawSignals(canvas, page, view) {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const channels = page.channels.filter(c => !view.hidden.has(c.index));
  const rowHeight = channels.length ? height / channels.length : height;
  const seconds = page.duration_seconds;

  channels.forEach((channel, row) => {
    const top = row * rowHeight;
    if (row % 2 === 1) { ctx.fillStyle = '#fafbfc'; ctx.fillRect(0, top, width, rowHeight); }
    if (view.saliency && channel.model_derivations.length) {
      const heat = heatOf(view.detail?.saliency, view.derivations.indexOf(channel.model_derivations[0]), view.derivations.length);
      if (heat) {
        const segment = width / heat.length;
        heat.forEach((value, t) => {
          ctx.fillStyle = `rgba(255, 120, 0, ${(0.55 * value).toFixed(3)})`;
          ctx.fillRect(t * segment, top, segment + 0.5, rowHeight);
        });
      }
    }
  });

  // Grid: every second, darker every 5 s.
  for (let s = 0; s <= seconds; s++) {
    const x = Math.round((s / seconds) * width) + 0.5;
    ctx.strokeStyle = s % 5 === 0 ? '#c9ced6' : '#eceef2';
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, height); ctx.stroke();
  }

  channels.forEach((channel, row) => {
    const top = row * rowHeight;
    ctx.strokeStyle = '#e3e6ea';
    ctx.beginPath(); ctx.moveTo(0, top + 0.5); ctx.lineTo(width, top + 0.5); ctx.stroke();
    const { centre, half } = scaleOf(channel, view.gains.get(channel.index) ?? 1);
    const mid = top + rowHeight / 2;
    const y = v => mid - ((v - centre) / half) * (rowHeight / 2);
    ctx.save();
    ctx.beginPath(); ctx.rect(0, top, width, rowHeight); ctx.clip();
    ctx.strokeStyle = channel.model_derivations.length ? '#10243f' : '#3b4a5c';
    ctx.lineWidth = 1;
    ctx.beginPath();
    let pen = false;
    if (channel.format === 'envelope') {
      const step = width / channel.min.length;
      channel.min.forEach((lo, c) => {
        const hi = channel.max[c];
        if (lo === null || hi === null) { pen = false; return; }
        const x = (c + 0.5) * step;
        const [a, b] = c % 2 ? [hi, lo] : [lo, hi];
        if (pen) ctx.lineTo(x, y(a)); else ctx.moveTo(x, y(a));
        ctx.lineTo(x, y(b) + (lo === hi ? 0.5 : 0));
        pen = true;
      });
    } else {
      const step = width / channel.samples.length;
      channel.samples.forEach((v, i) => {
        if (v === null) { pen = false; return; }
        const x = (i + 0.5) * step;
        if (pen) ctx.lineTo(x, y(v)); else ctx.moveTo(x, y(v));
        pen = true;
      });
    }
    ctx.stroke();
    ctx.restore();
  });
}
