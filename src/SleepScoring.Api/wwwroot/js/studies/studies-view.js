// The study list: upload with a label, filters, live status, warnings and failures in words,
// review state, and downloads fetched with the key.
import { api } from '../api.js';
import { session } from '../session.js';
import { h, toast, dateTime, clock } from '../ui/dom.js';
import { watchProgress } from './progress.js';

const STATUS_WORDS = { queued: 'Queued', scoring: 'Scoring', scored: 'Scored', failed: 'Failed' };
const DOWNLOADS = [
  ['JSON', 'hypnogram', 'json'],
  ['CSV', 'hypnogram?format=csv', 'csv'],
  ['EDF+', 'hypnogram?format=edf', 'edf'],
  ['PDF', 'report.pdf', 'pdf'],
];

function failure(error) {
  if (!error) return '';
  // error.type is one of the service's stable codes (docs/service.md); a code this page does not know is shown as it is.
  const words = {
    'edf-format': 'The file is not a readable EDF',
    montage: 'The signals do not give the EEG the model needs',
    duration: 'The recording cannot be scored for its length',
    'scoring-input': 'A setting of the study cannot be used',
    storage: 'The service could not read or write the study',
    database: 'The service could not record the study',
    'out-of-memory': 'The service ran out of memory',
    internal: 'The service failed',
    interrupted: 'The service stopped while scoring it, too often',
    unscorable: 'The study cannot be scored',
    'no-model': 'No model is installed',
  };
  return `${words[error.type] || error.type}: ${error.detail || ''}`;
}

function statusCell(s) {
  const cell = h('td.status', { dataset: { status: s.status } }, h('span.badge', { dataset: { status: s.status } }, STATUS_WORDS[s.status] || s.status));
  if (s.status === 'scoring' || s.status === 'queued') {
    const bar = h('progress', { max: 100, value: s.progress.percent, 'aria-label': `${s.id} progress` });
    cell.append(bar, h('span.step', {}, `${s.progress.percent.toFixed(0)} %${s.progress.stage ? ` · ${s.progress.stage}` : ''}`));
  }
  if (s.error) cell.append(h('p.error', {}, failure(s.error)));
  return cell;
}

function reviewCell(s) {
  if (s.status !== 'scored') return h('td', {}, '');
  const signed = s.review.signed_off;
  return h('td', {},
    signed ? h('span.badge.signed', { title: `by ${signed.name} at ${dateTime(signed.at)}` }, `Signed off ${dateTime(signed.at)}`) : h('span.badge.open', {}, 'Not signed off'),
    h('div.sub', {}, `${s.review.reviewed_epochs} reviewed · ${s.review.corrected_epochs} corrected`));
}

function row(s) {
  const open = s.status === 'scored'
    ? h('a.button.primary', { href: `/review/${s.id}/0`, 'aria-label': `Review ${s.label || s.id}` }, 'Review')
    : h('span', {}, '');
  const downloads = s.status === 'scored'
    ? h('div.downloads', {}, ...DOWNLOADS.map(([label, path, ext]) => h('button.small', {
      type: 'button',
      onclick: () => api.download(`/api/v1/studies/${s.id}/${path}`, `${s.label || s.id}.${ext}`).catch(e => toast(e.message, 'error')),
    }, label)))
    : '';
  const warnings = s.warnings.length ? h('details.warnings', {}, h('summary', {}, `${s.warnings.length} warning${s.warnings.length > 1 ? 's' : ''}`), h('ul', {}, ...s.warnings.map(w => h('li', {}, w)))) : '';
  return h('tr', { dataset: { study: s.id } },
    h('td', {}, h('strong', {}, s.label || '(no label)'), h('div.sub', {}, h('code', {}, s.id))),
    statusCell(s),
    h('td', {}, s.duration_seconds ? clock(s.duration_seconds) : '–', h('div.sub', {}, s.epochs ? `${s.epochs} epochs` : ''), warnings),
    h('td', {}, dateTime(s.uploaded_at), h('div.sub', {}, `by ${s.uploader_role || 'a revoked key'}`)),
    reviewCell(s),
    h('td.actions', {}, open, downloads));
}

export function studiesView(view) {
  const body = h('tbody');
  const summary = h('p.hint', { role: 'status' });
  const status = h('select', { id: 'filter-status', 'aria-label': 'Status' }, h('option', { value: '' }, 'any status'), ...Object.keys(STATUS_WORDS).map(s => h('option', { value: s }, STATUS_WORDS[s])));
  const signed = h('select', { id: 'filter-signed', 'aria-label': 'Sign-off' }, h('option', { value: '' }, 'signed or not'), h('option', { value: 'false' }, 'not signed off'), h('option', { value: 'true' }, 'signed off'));
  const label = h('input', { id: 'filter-label', type: 'search', placeholder: 'label contains…', 'aria-label': 'Label contains' });
  const known = new Map();

  async function load() {
    const query = new URLSearchParams({ page_size: '100' });
    if (status.value) query.set('status', status.value);
    if (signed.value) query.set('signed', signed.value);
    if (label.value.trim()) query.set('label', label.value.trim());
    try {
      const page = await api.get(`/api/v1/studies?${query}`);
      known.clear();
      page.items.forEach(s => known.set(s.id, s));
      body.replaceChildren(...(page.items.length ? page.items.map(row) : [h('tr', {}, h('td', { colspan: 6 }, 'No studies match.'))]));
      summary.textContent = `${page.total} stud${page.total === 1 ? 'y' : 'ies'}`;
    } catch (e) { toast(e.message, 'error'); }
  }

  let reloadTimer;
  const stop = watchProgress(study => {
    const existing = body.querySelector(`tr[data-study="${CSS.escape(study.id)}"]`);
    if (existing) existing.replaceWith(row(study));
    else { clearTimeout(reloadTimer); reloadTimer = setTimeout(load, 200); } // a study this list has not shown yet
  });

  const upload = session.can('upload') ? uploadForm(load) : h('p.hint', {}, 'Your role reads and reviews studies; technicians upload them.');
  [status, signed].forEach(s => s.addEventListener('change', load));
  label.addEventListener('input', () => { clearTimeout(reloadTimer); reloadTimer = setTimeout(load, 250); });

  view.replaceChildren(h('section.page', {},
    h('div.page-head', {}, h('h1', {}, 'Studies'), summary),
    upload,
    h('div.filters', {}, status, signed, label),
    h('table.grid.studies', {},
      h('thead', {}, h('tr', {}, ...['Study', 'Status', 'Recording', 'Uploaded', 'Review', ''].map(t => h('th', {}, t)))),
      body)));
  load();
  return { leave: () => { stop(); clearTimeout(reloadTimer); } };
}

function uploadForm(reload) {
  const file = h('input', { id: 'upload-file', type: 'file', accept: '.edf,.bdf,.rec', required: true });
  const label = h('input', { id: 'upload-label', maxlength: 64, pattern: '[\\w .\\/#:\\-]{1,64}', placeholder: 'order or accession no.', title: 'Letters, digits, spaces and - _ . / # : (never a name)' });
  const lightsOff = h('input', { id: 'upload-lights-off', type: 'number', min: 0, step: 1, placeholder: 's from start' });
  const button = h('button.primary', { type: 'submit' }, 'Upload');
  return h('form.card.upload', {
    onsubmit: async event => {
      event.preventDefault();
      const form = new FormData();
      if (label.value.trim()) form.append('label', label.value.trim());
      if (lightsOff.value) form.append('lights_off', lightsOff.value);
      form.append('file', file.files[0]);
      button.disabled = true;
      button.textContent = 'Uploading…';
      try {
        const study = await api.send('POST', '/api/v1/studies', form);
        toast(`Uploaded ${study.label || study.id}: ${study.status}`);
        file.value = '';
        label.value = '';
        lightsOff.value = '';
        reload();
      } catch (e) { toast(`Upload refused: ${e.message}`, 'error'); }
      finally { button.disabled = false; button.textContent = 'Upload'; }
    },
  },
  h('h2', {}, 'Upload a study'),
  h('label', { for: 'upload-file' }, 'EDF / EDF+ / BDF file'), file,
  h('label', { for: 'upload-label' }, 'Label (optional)'), label,
  h('label', { for: 'upload-lights-off' }, 'Lights off (optional)'), lightsOff,
  button);
}
