// The report page: the statistics of the final stages, the review and sign-off, the model, and
// the PDF for the record.
import { api } from '../api.js';
import { h, toast, minutes, percent, dateTime, clock } from '../ui/dom.js';

const ROWS = [
  ['Time in bed (TIB)', s => minutes(s.time_in_bed_minutes)],
  ['Total sleep time (TST)', s => minutes(s.total_sleep_time_minutes)],
  ['Sleep period time (SPT)', s => minutes(s.sleep_period_time_minutes)],
  ['Sleep efficiency (SE)', s => percent(s.sleep_efficiency_percent)],
  ['Sleep onset latency (SOL)', s => minutes(s.sleep_onset_latency_minutes)],
  ['Persistent sleep latency', s => minutes(s.persistent_sleep_latency_minutes)],
  ['REM latency (from sleep onset)', s => minutes(s.rem_latency_minutes)],
  ['Wake after sleep onset (WASO)', s => minutes(s.wake_after_sleep_onset_minutes)],
  ['Awakenings', s => String(s.awakenings)],
];

export function reportView(view, studyId) {
  const body = h('div.report-body', {}, 'Loading…');
  view.replaceChildren(h('section.page.report', {},
    h('div.page-head', {}, h('a.back', { href: `/review/${studyId}/0` }, '← Scoring'), h('h1', {}, 'Report'),
      h('button.primary', { type: 'button', id: 'download-pdf', onclick: () => api.download(`/api/v1/studies/${studyId}/report.pdf`, `${studyId}-report.pdf`).catch(e => toast(e.message, 'error')) }, 'Download PDF')),
    body));

  (async () => {
    try {
      const [study, stats, review] = await Promise.all([
        api.get(`/api/v1/studies/${studyId}`),
        api.get(`/api/v1/studies/${studyId}/statistics`),
        api.get(`/api/v1/studies/${studyId}/review`),
      ]);
      const signed = review.signed_off;
      const plot = h('img.report-plot', { alt: 'Hypnogram and hypnodensity (model; scorer where corrected)' });
      api.request('GET', `/api/v1/studies/${studyId}/hypnogram.png`)
        .then(r => r.blob()).then(blob => { plot.src = URL.createObjectURL(blob); }).catch(() => plot.remove());
      body.replaceChildren(
        h('div.report-status', { dataset: { signed: signed ? 'yes' : 'no' } },
          signed ? `Signed off by ${signed.signed_by_name} (${signed.signed_by_role}) at ${dateTime(signed.signed_at)} UTC` : 'Preliminary — not signed off'),
        h('div.report-grid', {},
          h('section.card', {},
            h('h2', {}, study.label || study.id),
            h('dl', {},
              h('dt', {}, 'Study'), h('dd', {}, h('code', {}, study.id)),
              h('dt', {}, 'Recording'), h('dd', {}, `${clock(study.duration_seconds)} · ${study.epochs} epochs · ${study.file_type}`),
              h('dt', {}, 'Model'), h('dd', {}, `${study.model.name} ${study.model.version}`),
              h('dt', {}, 'Review queue'), h('dd', {}, `${review.reviewed} of ${review.total} reviewed`),
              h('dt', {}, 'Scorer stages'), h('dd', {}, `${review.reviewed_epochs} epochs, ${review.corrected_epochs} corrected`),
              h('dt', {}, 'Warnings'), h('dd', {}, study.warnings.length ? h('ul.warnings', {}, ...study.warnings.map(t => h('li', {}, t))) : 'none'))),
          h('section.card', {},
            h('h2', {}, 'Sleep statistics (final stages)'),
            h('table.stats', {}, ...ROWS.map(([label, value]) => h('tr', {}, h('th', {}, label), h('td', {}, value(stats)))))),
          h('section.card', {},
            h('h2', {}, 'Stages'),
            h('table.stats', {},
              h('tr', {}, h('th', {}, 'Stage'), h('th', {}, 'Minutes'), h('th', {}, '% of TST')),
              ...['W', 'N1', 'N2', 'N3', 'R'].map(s => h('tr', {}, h('th', {}, s), h('td', {}, stats.stage_minutes[s].toFixed(1)), h('td', {}, s === 'W' ? '–' : stats.stage_percent_of_sleep[s].toFixed(1)))))),
        ),
        plot);
    } catch (e) {
      body.textContent = e.message;
    }
  })();
  return null;
}
