// Plain fetch against the public API; the key stays in this tab's sessionStorage only.
const key = document.getElementById('key');
key.value = sessionStorage.getItem('sleepscoring-key') || '';
key.onchange = () => sessionStorage.setItem('sleepscoring-key', key.value);
const headers = () => ({ 'X-Api-Key': key.value });
const message = text => { const m = document.getElementById('message'); m.textContent = text; m.className = text.startsWith('Error') ? 'error' : ''; };

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(`${response.status} ${problem.title || ''}: ${problem.detail || JSON.stringify(problem.errors || '')}`);
  }
  return response;
}

async function refresh() {
  try {
    const page = await (await call('/api/v1/studies?page_size=50')).json();
    const body = document.getElementById('studies');
    body.replaceChildren(...page.items.map(s => {
      const row = document.createElement('tr');
      const cells = [s.id, s.status, `${s.progress.percent.toFixed(0)} % ${s.progress.stage || ''}`, s.uploaded_at, s.epochs ?? '', s.model ? `${s.model.name} ${s.model.version}` : ''];
      cells.forEach(text => { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); });
      const open = document.createElement('td');
      if (s.status === 'scored') { const b = document.createElement('button'); b.textContent = 'Open'; b.onclick = () => show(s.id); open.appendChild(b); }
      row.appendChild(open);
      return row;
    }));
    message(`${page.total} studies`);
  } catch (e) { message('Error ' + e.message); }
}

async function image(path) {
  const blob = await (await call(path)).blob();
  const img = document.createElement('img'); img.src = URL.createObjectURL(blob); return img;
}

async function show(id) {
  const detail = document.getElementById('detail');
  detail.replaceChildren();
  try {
    const stats = await (await call(`/api/v1/studies/${id}/statistics`)).json();
    const review = await (await call(`/api/v1/studies/${id}/review`)).json();
    const h = document.createElement('h2'); h.textContent = `${id}: TST ${stats.total_sleep_time_minutes} min, SE ${stats.sleep_efficiency_percent ?? '–'} %, ${review.queue.length} epochs to review`;
    detail.append(h, await image(`/api/v1/studies/${id}/hypnogram.png`));
    for (const item of review.queue.slice(0, 5)) {
      const p = document.createElement('p'); p.textContent = `Epoch ${item.index}: model ${item.model_stage}, p(wrong) ${item.wrong_probability}`;
      detail.append(p, await image(`/api/v1/studies/${id}/epochs/${item.index}/image.png`));
    }
  } catch (e) { message('Error ' + e.message); }
}

document.getElementById('refresh').onclick = refresh;
document.getElementById('upload').onclick = async () => {
  const file = document.getElementById('file').files[0];
  if (!file) { message('Error: choose an EDF file'); return; }
  const form = new FormData(); form.append('file', file);
  try { await call('/api/v1/studies', { method: 'POST', body: form }); message('Uploaded'); refresh(); }
  catch (e) { message('Error ' + e.message); }
};
if (key.value) refresh();
