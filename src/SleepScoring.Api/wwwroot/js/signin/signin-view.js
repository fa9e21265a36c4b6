// Sign-in: a key typed or pasted (kept in this tab only), or the first start's one-time link.
import { session } from '../session.js';
import { h, toast } from '../ui/dom.js';

export async function redeemLink(token) {
  history.replaceState(null, '', '/signin'); // the token leaves the address bar at once
  try {
    const response = await fetch('/api/v1/sign-in/link', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(body?.detail || `HTTP ${response.status}`);
    await session.signIn(body.key);
    sessionStorage.setItem('sleepscoring-after-sign-in', '/keys');
    toast('Signed in with a new admin key. Issue keys for your technicians and clinicians here.');
  } catch (e) {
    toast(`Sign-in link: ${e.message}`, 'error');
  }
}

export function signInView(view, done) {
  if (session.me()) { done(); return null; }
  const input = h('input', { id: 'signin-key', type: 'password', autocomplete: 'off', required: true, size: 48, 'aria-describedby': 'signin-help' });
  const message = h('p.error', { role: 'alert' });
  const form = h('form.card.signin', {
    onsubmit: async event => {
      event.preventDefault();
      message.textContent = '';
      try { await session.signIn(input.value.trim()); done(); } catch (e) { message.textContent = e.message; input.select(); }
    },
  },
  h('h1', {}, 'Sign in'),
  h('label', { for: 'signin-key' }, 'API key'),
  input,
  h('p.hint', { id: 'signin-help' }, 'Your key stays in this browser tab only (closing the tab signs you out). Keys are issued by an admin on the Keys page or with ', h('code', {}, 'keys issue'), '.'),
  message,
  h('button.primary', { type: 'submit' }, 'Sign in'));
  view.replaceChildren(form);
  input.focus();
  return null;
}
