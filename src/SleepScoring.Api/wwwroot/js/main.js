// Entry point: restore the tab's session, draw the top bar, route.
import { session } from './session.js';
import { route, dispatch, navigate } from './router.js';
import { h } from './ui/dom.js';
import { signInView, redeemLink } from './signin/signin-view.js';
import { studiesView } from './studies/studies-view.js';
import { reviewView } from './review/review-view.js';
import { reportView } from './report/report-view.js';
import { keysView } from './keys/keys-view.js';

const view = document.getElementById('view');

function guarded(render) {
  return (...args) => {
    if (!session.me()) {
      sessionStorage.setItem('sleepscoring-after-sign-in', location.pathname);
      navigate('/signin', { replace: true });
      return null;
    }
    return render(view, ...args);
  };
}

function topbar(me) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  nav.replaceChildren();
  who.replaceChildren();
  if (!me) return;
  nav.append(h('a', { href: '/' }, 'Studies'));
  if (me.permissions.includes('admin')) nav.append(h('a', { href: '/keys' }, 'Keys'));
  who.append(
    h('span', { title: `key ${me.key_id}` }, `${me.name} · ${me.role}`),
    h('button.link', { type: 'button', onclick: () => { session.signOut(); navigate('/signin'); } }, 'Sign out'));
}

route(/^\/signin$/, () => signInView(view, () => {
  const after = sessionStorage.getItem('sleepscoring-after-sign-in') || '/';
  sessionStorage.removeItem('sleepscoring-after-sign-in');
  navigate(after === '/signin' ? '/' : after, { replace: true });
}));
route(/^\/$/, guarded(studiesView));
route(/^\/keys$/, guarded(keysView));
route(/^\/review\/([^/]+)\/(\d+)$/, guarded((v, id, epoch) => reviewView(v, id, Number(epoch))));
route(/^\/review\/([^/]+)\/?$/, guarded((v, id) => reviewView(v, id, 0)));
route(/^\/report\/([^/]+)$/, guarded(reportView));
route(/.*/, () => navigate('/', { replace: true }));

session.onChange(topbar);

(async () => {
  // A first-start link (/signin#token=…) signs in before anything else.
  if (location.pathname === '/signin' && location.hash.startsWith('#token=')) {
    await redeemLink(location.hash.slice('#token='.length));
  } else {
    await session.restore();
  }
  dispatch();
})();
