// Admins issue and revoke keys; a new key is shown once and can be used in this tab at once.
import { api } from '../api.js';
import { session } from '../session.js';
import { navigate } from '../router.js';
import { h, toast, dateTime } from '../ui/dom.js';

export function keysView(view) {
  const list = h('tbody');
  const issued = h('div.issued', { role: 'status' });
  const name = h('input', { id: 'key-name', required: true, maxlength: 100, placeholder: 'e.g. Dr A. Example' });
  const role = h('select', { id: 'key-role' }, ...['clinician', 'technician', 'integration', 'admin'].map(r => h('option', { value: r }, r)));

  async function load() {
    const keys = await api.get('/api/v1/keys');
    list.replaceChildren(...keys.map(k => h('tr', {},
      h('td', {}, k.name), h('td', {}, k.role), h('td', {}, h('code', {}, k.id)), h('td', {}, dateTime(k.created_at)),
      h('td', {}, k.revoked_at ? `revoked ${dateTime(k.revoked_at)}` : h('button', {
        type: 'button',
        onclick: async () => { await api.send('DELETE', `/api/v1/keys/${k.id}`); toast(`Key ${k.id} revoked`); load(); },
      }, 'Revoke')))));
  }

  const form = h('form.inline', {
    onsubmit: async event => {
      event.preventDefault();
      try {
        const key = await api.send('POST', '/api/v1/keys', { name: name.value, role: role.value });
        issued.replaceChildren(
          h('p', {}, `Key for ${key.name} (${key.role}) — shown once, copy it now:`),
          h('code.secret', {}, key.key),
          key.callback_secret ? h('p', {}, 'Callback secret: ', h('code', {}, key.callback_secret)) : '',
          h('button', { type: 'button', onclick: async () => { await session.signIn(key.key); navigate('/'); } }, `Use this key in this tab (sign in as ${key.role})`));
        name.value = '';
        load();
      } catch (e) { toast(e.message, 'error'); }
    },
  }, h('label', { for: 'key-name' }, 'Name'), name, h('label', { for: 'key-role' }, 'Role'), role, h('button.primary', { type: 'submit' }, 'Issue key'));

  view.replaceChildren(h('section.page', {},
    h('h1', {}, 'API keys'),
    h('p.hint', {}, 'Clinicians review, correct and sign off; technicians upload and correct; integrations upload and read their own studies; admins manage keys and delete studies but do not score.'),
    form, issued,
    h('table.grid', {}, h('thead', {}, h('tr', {}, ...['Name', 'Role', 'Id', 'Created', ''].map(t => h('th', {}, t)))), list)));
  load().catch(e => toast(e.message, 'error'));
  name.focus();
  return null;
}
