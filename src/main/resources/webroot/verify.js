'use strict';

// The token leaves the address bar at once (no history entry, no Referer: the server sends
// Referrer-Policy: no-referrer), and reaches the server only in the body of a POST.
(async () => {
  const status = document.getElementById('verify-status');
  const token = new URLSearchParams(location.search).get('token') || '';
  history.replaceState(null, '', location.pathname);
  const say = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  try {
    const response = await fetch('/api/accounts/verification', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ token }),
    });
    if (response.status === 204) {
      say('ok', 'Your address is confirmed. Log in again to see it in your account.');
    } else {
      const problem = await response.json().catch(() => null);
      say('error', problem && problem.message ? `Not confirmed: ${problem.message}.` : `Not confirmed (HTTP ${response.status}).`);
    }
  } catch (e) {
    say('error', 'The server did not answer. Try the link again in a moment.');
  }
})();
