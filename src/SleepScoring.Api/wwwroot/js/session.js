// The signed-in key lives in this tab's sessionStorage under 'sleepscoring-key' (automation relies
// on that name) and nowhere else: closing the tab signs out.
const KEY = 'sleepscoring-key';
const listeners = new Set();
let me = null;

export const session = {
  key: () => sessionStorage.getItem(KEY),
  me: () => me,
  can: permission => Boolean(me?.permissions.includes(permission)),
  async signIn(key) {
    const response = await fetch('/api/v1/me', { headers: { 'X-Api-Key': key } });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      throw new Error(response.status === 401 ? 'This key is unknown or revoked.' : (problem?.detail || `HTTP ${response.status}`));
    }
    me = await response.json();
    sessionStorage.setItem(KEY, key);
    listeners.forEach(l => l(me));
    return me;
  },
  async restore() {
    const key = sessionStorage.getItem(KEY);
    if (!key) return null;
    try { return await session.signIn(key); } catch { session.signOut(); return null; }
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    me = null;
    listeners.forEach(l => l(null));
  },
  expired() { session.signOut(); },
  onChange(listener) { listeners.add(listener); },
};
