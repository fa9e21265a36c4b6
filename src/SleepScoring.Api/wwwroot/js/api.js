// The public API, and nothing else: every request carries this tab's key; failures become ApiError
// with the RFC 9457 problem the service answered (title, detail, errors per field).
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(ApiError.describe(status, problem));
    this.status = status;
    this.problem = problem;
  }

  static describe(status, problem) {
    const fields = problem?.errors ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ') : '';
    return [problem?.title || `HTTP ${status}`, problem?.detail, fields].filter(Boolean).join(' — ');
  }
}

// Requests in flight, shown as a thin bar at the top of the page (body[data-busy]).
let pending = 0;
function busy(delta) {
  pending += delta;
  if (pending > 0) document.body.dataset.busy = String(pending); else delete document.body.dataset.busy;
}

async function request(method, path, options = {}) {
  if (options.background) return send(method, path, options); // a long-lived stream is not "loading"
  busy(1);
  try { return await send(method, path, options); } finally { busy(-1); }
}

async function send(method, path, { body, headers = {}, signal } = {}) {
  const init = { method, headers: { ...headers }, signal };
  const key = session.key();
  if (key) init.headers['X-Api-Key'] = key;
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  const response = await fetch(path, init);
  if (response.status === 401 && key) session.expired();
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem);
  }
  return response;
}

export const api = {
  request,
  async get(path, options) { return (await request('GET', path, options)).json(); },
  async send(method, path, body) {
    const response = await request(method, path, { body });
    return response.status === 204 ? null : response.json();
  },
  /** Fetches with the key and saves the answer as a file (a plain link would lack the key header). */
  async download(path, fallbackName) {
    const response = await request('GET', path);
    const disposition = response.headers.get('Content-Disposition') || '';
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = match ? decodeURIComponent(match[1]) : fallbackName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return blob;
  },
};
