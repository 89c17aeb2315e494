'use strict';

// The demo page: an account, the echo socket and a chat room, on nothing but the browser's own APIs.
// Every text from the server or the user goes in through textContent, never as HTML.
(() => {
  const ROOM_NAME = /^[a-z0-9-]{1,32}$/;
  const LOG_LIMIT = 200;
  const NO_ANSWER = 'The server did not answer. Is it running?';

  const el = (id) => document.getElementById(id);

  let me = null;
  let echo = null;
  let chat = null;

  // Where the websockets are: a configured public URL (behind a proxy), else this host on the websocket port.
  const wsBase = fetch('/page-config.json', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then((config) => {
      if (config.wsUrl) {
        return config.wsUrl.replace(/\/+$/, '');
      }
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return `${scheme}//${location.hostname}:${config.wsPort}`;
    })
    .catch(() => null);

  async function socketUrl(path) {
    const base = await wsBase;
    if (!base) {
      throw new Error('The page could not load /page-config.json, so it does not know where the websockets are. Reload to try again.');
    }
    return base + path;
  }

  // ---- the HTTP API

  async function api(method, path, body) {
    const headers = {};
    // The API answers 415 to a state-changing request that is not JSON, even one without a body (its CSRF guard).
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => null);
    return { status: response.status, data, retryAfter: response.headers.get('Retry-After') };
  }

  /** The server's lower-case message as a sentence. */
  function sentence(text) {
    const trimmed = text.trim();
    const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
    return /[.!?]$/.test(capital) ? capital : `${capital}.`;
  }

  function problem(result) {
    const message = result.data && typeof result.data.message === 'string'
      ? result.data.message
      : `the server answered ${result.status}`;
    if (result.status === 429 && result.retryAfter) {
      return sentence(`${message} (within ${result.retryAfter} s)`);
    }
    return sentence(message);
  }

  function setStatus(id, state, text) {
    const node = el(id);
    node.dataset.state = state;
    node.textContent = text;
  }

  // ---- logs

  function append(logId, item) {
    const log = el(logId);
    log.append(item);
    while (log.childElementCount > LOG_LIMIT) {
      log.firstElementChild.remove();
    }
    log.scrollTop = log.scrollHeight;
  }

  function span(className, text) {
    const node = document.createElement('span');
    node.className = className;
    node.textContent = text;
    return node;
  }

  function logNote(logId, text) {
    const item = document.createElement('li');
    item.className = 'note';
    item.textContent = text;
    append(logId, item);
  }

  function clock(date) {
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  // ---- closing words

  const CLOSE_REASONS = {
    1000: 'it closed normally',
    1001: 'the server is going away (restarting or shutting down)',
    1005: 'it closed without a status',
    1006: 'the connection was lost',
    1008: 'the server closed it for a policy violation: too many messages, or reading too slowly',
    1009: 'the message was too big',
    1011: 'the server hit an error',
  };

  function closeWords(event) {
    const words = CLOSE_REASONS[event.code] || `it closed with code ${event.code}`;
    return event.reason ? `${words} (“${event.reason}”, code ${event.code})` : `${words} (code ${event.code})`;
  }

  // ---- account

  function showIdentity(login) {
    me = login;
    const who = el('whoami');
    who.dataset.login = login || '';
    who.textContent = login || 'Not logged in';
    el('logout-btn').hidden = !login;
    el('logout-all-btn').hidden = !login;
    el('account-form').hidden = Boolean(login);
    el('signed-in').hidden = !login;
    el('forgot-form').hidden = Boolean(login);
    el('manage').hidden = !login;
    el('signed-in-login').textContent = login || '';
  }

  async function refreshIdentity() {
    try {
      const result = await api('GET', '/api/me');
      if (result.status === 200) {
        showIdentity(result.data.login);
        return true;
      }
      showIdentity(null);
      if (result.status !== 401) {
        setStatus('account-status', 'error', problem(result));
      }
    } catch (e) {
      showIdentity(null);
      setStatus('account-status', 'error', NO_ANSWER);
    }
    return false;
  }

  function credentials() {
    const login = el('login-input').value.trim();
    const password = el('password-input').value;
    if (!login || !password) {
      setStatus('account-status', 'error', 'Enter a login and a password.');
      return null;
    }
    return { login, password };
  }

  /** Runs one request with these buttons disabled, so a double click sends it once. */
  async function withButtons(ids, busyText, work) {
    const buttons = ids.map(el);
    buttons.forEach((button) => { button.disabled = true; });
    if (busyText) {
      setStatus('account-status', 'busy', busyText);
    }
    try {
      await work();
    } catch (e) {
      setStatus('account-status', 'error', NO_ANSWER);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  function accountRequest(busyText, work) {
    const body = credentials();
    return body && withButtons(['login-btn', 'register-btn'], busyText, () => work(body));
  }

  function register() {
    return accountRequest('Registering…', async (body) => {
      const email = el('email-input').value.trim();
      const result = await api('POST', '/api/accounts', email ? { ...body, email } : body);
      if (result.status === 201) {
        const mailed = result.data.email ? ` A link to confirm ${result.data.email} is on its way.` : '';
        setStatus('account-status', 'ok', `Account “${result.data.login}” created. You can log in now.${mailed}`);
      } else {
        setStatus('account-status', 'error', problem(result));
      }
    });
  }

  function login() {
    return accountRequest('Logging in…', async (body) => {
      const result = await api('POST', '/api/session', body);
      if (result.status === 200) {
        el('password-input').value = '';
        showIdentity(result.data.login);
        // The signed-in panel says who, in place of the form.
        setStatus('account-status', 'idle', '');
      } else {
        setStatus('account-status', 'error', problem(result));
      }
    });
  }

  /** Ends this session, or every session of this account (other browsers and devices too). */
  async function logout(everywhere) {
    const where = everywhere ? ' everywhere' : '';
    // The server closes this user's chat sockets too; leaving first says so in words.
    leaveRoom(`You left the room: you logged out${where}.`);
    await withButtons(['logout-btn', 'logout-all-btn'], null, async () => {
      const result = await api('DELETE', everywhere ? '/api/me/sessions' : '/api/session');
      if (result.status === 204) {
        showIdentity(null);
        setStatus('account-status', 'ok', `You are logged out${where}.`);
      } else {
        setStatus('account-status', 'error', problem(result));
      }
    });
  }

  async function forgotPassword() {
    const body = { email: el('forgot-email-input').value.trim() };
    await withButtons(['forgot-btn'], 'Asking for a reset link…', async () => {
      const result = await api('POST', '/api/password-reset', body);
      if (result.status === 202) {
        setStatus('account-status', 'ok', 'If an account has this address, a reset link is on its way.');
      } else {
        setStatus('account-status', 'error', problem(result));
      }
    });
  }

  /** A 401 means this session ended meanwhile: the page stops showing it as logged in. */
  function accountProblem(result) {
    if (result.status === 401) {
      showIdentity(null);
    }
    setStatus('account-status', 'error', problem(result));
  }

  async function changePassword() {
    const body = { currentPassword: el('current-password-input').value, password: el('new-password-input').value };
    await withButtons(['change-password-btn'], 'Changing the password…', async () => {
      const result = await api('PUT', '/api/me/password', body);
      if (result.status === 204) {
        el('password-form').reset();
        setStatus('account-status', 'ok', 'Password changed. Your other sessions are logged out.');
      } else {
        accountProblem(result);
      }
    });
  }

  async function deleteAccount() {
    const body = { password: el('delete-password-input').value };
    await withButtons(['delete-account-btn'], 'Deleting the account…', async () => {
      const result = await api('DELETE', '/api/me', body);
      if (result.status === 204) {
        el('delete-form').reset();
        leaveRoom('You left the room: your account is deleted.');
        showIdentity(null);
        setStatus('account-status', 'ok', 'Your account is deleted, and every session of it.');
      } else {
        accountProblem(result);
      }
    });
  }

  // ---- echo

  function showEchoOpen(open) {
    el('echo-connect').hidden = open;
    el('echo-disconnect').hidden = !open;
    el('echo-input').disabled = !open;
    el('echo-send').disabled = !open;
  }

  async function connectEcho() {
    if (echo) {
      return;
    }
    el('echo-connect').disabled = true;
    setStatus('echo-status', 'busy', 'Connecting…');
    try {
      const url = await socketUrl('/ws/echo');
      const session = { socket: new WebSocket(url), opened: false, leaving: false };
      echo = session;
      session.socket.onopen = () => {
        session.opened = true;
        showEchoOpen(true);
        setStatus('echo-status', 'ok', `Connected to ${url}.`);
        el('echo-input').focus();
      };
      session.socket.onmessage = (event) => echoLine('in', '←', event.data);
      session.socket.onclose = (event) => {
        echo = null;
        showEchoOpen(false);
        el('echo-connect').disabled = false;
        if (session.leaving) {
          setStatus('echo-status', 'idle', 'Disconnected.');
        } else if (!session.opened) {
          setStatus('echo-status', 'error', `Could not connect to ${url}.`);
        } else {
          setStatus('echo-status', event.code === 1000 ? 'idle' : 'error', sentence(`Disconnected: ${closeWords(event)}`));
        }
      };
    } catch (e) {
      el('echo-connect').disabled = false;
      setStatus('echo-status', 'error', e.message);
    }
  }

  function disconnectEcho() {
    if (echo) {
      echo.leaving = true;
      echo.socket.close(1000);
    }
  }

  function echoLine(direction, arrow, text) {
    const item = document.createElement('li');
    item.className = direction;
    item.append(span('arrow', arrow), span('text', text));
    append('echo-log', item);
  }

  function sendEcho() {
    const input = el('echo-input');
    if (!echo || !echo.opened || input.value === '') {
      return;
    }
    echo.socket.send(input.value);
    echoLine('out', '→', input.value);
    input.value = '';
  }

  // ---- chat

  function showInRoom(inRoom, open) {
    el('join-btn').hidden = inRoom;
    el('leave-btn').hidden = !inRoom;
    el('room-input').disabled = inRoom;
    el('chat-input').disabled = !open;
    el('chat-send').disabled = !open;
  }

  async function joinRoom() {
    const room = el('room-input').value.trim();
    if (!ROOM_NAME.test(room)) {
      setStatus('chat-status', 'error', 'A room name is 1–32 lowercase letters, digits or “-”.');
      return;
    }
    el('join-btn').disabled = true;
    setStatus('chat-status', 'busy', `Joining ${room}…`);
    try {
      // A refused handshake reaches a browser only as code 1006, without a reason: ask first, to say why.
      if (!await refreshIdentity()) {
        setStatus('chat-status', 'refused', 'Refused: log in to join a room.');
        return;
      }
      openChat(room, await socketUrl(`/ws/chat?room=${encodeURIComponent(room)}`));
    } catch (e) {
      setStatus('chat-status', 'error', e.message);
    } finally {
      el('join-btn').disabled = false;
    }
  }

  // A socket that the server or the network dropped (not one ended by a logout or a policy) comes
  // back by itself: another try after 0.5 s, doubling up to 8 s, with jitter so that the sockets
  // of a restarted replica do not all return at once; six failed tries in a row and it gives up.
  const RETRY_CLOSES = new Set([1001, 1006, 1011, 1012, 1013]);
  const RETRY_FIRST_MS = 500;
  const RETRY_MAX_MS = 8000;
  const RETRY_TRIES = 6;

  function openChat(room, url, retry = 0) {
    const session = { socket: new WebSocket(url), room, opened: false, left: false };
    chat = session;
    showInRoom(true, false);
    session.socket.onopen = () => {
      session.opened = true;
      showInRoom(true, true);
      setStatus('chat-status', 'ok', `In room ${room} as ${me}.`);
      logNote('chat-log', retry ? `You are back in ${room}.` : `You joined ${room}.`);
      el('chat-input').focus();
    };
    session.socket.onmessage = (event) => {
      if (chat === session) {
        showChatMessage(event.data);
      }
    };
    session.socket.onclose = (event) => {
      if (session.left) {
        return;
      }
      chat = null;
      showInRoom(false, false);
      const tries = session.opened ? 0 : retry;
      if ((session.opened || retry > 0) && RETRY_CLOSES.has(event.code) && tries < RETRY_TRIES) {
        const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** tries) * (0.75 + Math.random() / 2);
        setStatus('chat-status', 'busy', sentence(`Reconnecting to ${room} in ${(delay / 1000).toFixed(1)} s: ${closeWords(event)}`));
        if (session.opened) {
          logNote('chat-log', `You are out of ${room} for a moment: reconnecting.`);
        }
        const pending = { room, left: false, socket: { close: () => clearTimeout(timer) } };
        const timer = setTimeout(() => {
          if (chat === pending) {
            openChat(room, url, tries + 1);
          }
        }, delay);
        chat = pending;
        return;
      }
      if (!session.opened) {
        setStatus('chat-status', 'refused',
          `The server refused to let you into ${room}: your session may have ended, or this page's address is not an allowed origin.`);
        return;
      }
      setStatus('chat-status', event.code === 1000 ? 'idle' : 'error', sentence(`You are out of ${room}: ${closeWords(event)}`));
      logNote('chat-log', `You are out of ${room}.`);
    };
  }

  /** Closes the room's socket from this side, and says why. */
  function leaveRoom(why) {
    if (!chat) {
      return;
    }
    const session = chat;
    chat = null;
    session.left = true;
    session.socket.close(1000);
    showInRoom(false, false);
    setStatus('chat-status', 'idle', why);
    logNote('chat-log', `You left ${session.room}.`);
  }

  function showChatMessage(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch (e) {
      logNote('chat-log', data);
      return;
    }
    const at = new Date(message.at);
    const item = document.createElement('li');
    item.className = message.from === me ? 'msg mine' : 'msg';
    item.dataset.from = message.from;
    const time = document.createElement('time');
    time.className = 'msg-time';
    if (!Number.isNaN(at.getTime())) {
      time.dateTime = at.toISOString();
      time.textContent = clock(at);
    }
    item.append(span('msg-from', message.from), time, span('msg-text', message.text));
    append('chat-log', item);
  }

  function sendChat() {
    const input = el('chat-input');
    if (!chat || !chat.opened || input.value.trim() === '') {
      return;
    }
    // The server sends it back to everyone in the room, this page included: it shows up then.
    chat.socket.send(input.value);
    input.value = '';
  }

  // ---- wiring

  function onSubmit(formId, action) {
    el(formId).addEventListener('submit', (event) => {
      event.preventDefault();
      action();
    });
  }

  onSubmit('account-form', login);
  onSubmit('echo-form', sendEcho);
  onSubmit('room-form', joinRoom);
  onSubmit('chat-form', sendChat);
  onSubmit('password-form', changePassword);
  onSubmit('forgot-form', forgotPassword);
  onSubmit('delete-form', deleteAccount);
  el('register-btn').addEventListener('click', register);
  el('logout-btn').addEventListener('click', () => logout(false));
  el('logout-all-btn').addEventListener('click', () => logout(true));
  el('echo-connect').addEventListener('click', connectEcho);
  el('echo-disconnect').addEventListener('click', disconnectEcho);
  el('leave-btn').addEventListener('click', () => leaveRoom('You left the room.'));

  refreshIdentity();
})();
