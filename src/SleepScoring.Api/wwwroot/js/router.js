// Paths of the one-page app (the service answers every one of them with index.html).
const routes = [];
let current = null;

export function route(pattern, handler) {
  routes.push({ pattern, handler });
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
  return dispatch();
}

export function dispatch() {
  const path = location.pathname;
  for (const { pattern, handler } of routes) {
    const match = pattern.exec(path);
    if (match) {
      current?.leave?.();
      current = handler(...match.slice(1).map(decodeURIComponent)) || null;
      return current;
    }
  }
  return null;
}

window.addEventListener('popstate', dispatch);
// Same-origin links of the page are handled here, so moving around keeps the tab's state.
document.addEventListener('click', event => {
  const a = event.target.closest('a[href^="/"]');
  if (!a || a.hasAttribute('download') || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
