'use strict';

// The page mailed links open: /verify confirms an address at once, /reset asks for a new password
// first. The token leaves the address bar at once (no
// history entry; the server sends Referrer-Policy: no-referrer), and reaches the server only in
// the body of a POST.
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  history.replaceState(null, '', location.pathname);
  const status = document.getElementById('token-status');

  function say(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  async function post(path, body, done) {
    say('busy', 'Sending…');
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(body),
      });
      if (response.ok) {
        say('ok', done);
      } else {
        const problem = await response.json().catch(() => null);
        say('error', problem && problem.message ? `Not done: ${problem.message}.` : `Not done (HTTP ${response.status}).`);
      }
    } catch (e) {
      say('error', 'The server did not answer. Try again in a moment.');
    }
  }

  const form = document.getElementById('reset-form');
  if (location.pathname === '/reset') {
    document.getElementById('link-title').textContent = 'Choose a new password';
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      post('/api/password-reset/confirm', { token, password: document.getElementById('reset-password-input').value },
        'Your password is set, and every session of your account has ended. Log in with the new one.');
    });
  } else {
    post('/api/accounts/verification', { token }, 'Your address is confirmed. Log in again to see it in your account.');
  }
})();
