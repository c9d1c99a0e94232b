// The sample's page: plain JavaScript against mcp-connector's REST API (/api/mcp).
// Every piece of text that comes from a server is put into the page with textContent (through
// el() below), never innerHTML, so a tool or server cannot inject markup.
'use strict';

const API = '/api/mcp';

const STATUS_TEXT = {
  ACTIVE: 'Active',
  AUTHORIZATION_REQUIRED: 'Needs consent',
  REAUTHORIZATION_REQUIRED: 'Needs re-authorization',
  UNREACHABLE: 'Unreachable',
};

// ---------------------------------------------------------------- small helpers

/** Creates an element; string children become text nodes (never parsed as HTML). */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'className') {
      element.className = value;
    } else if (name.startsWith('on')) {
      element.addEventListener(name.substring(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function showMessage(text, isError = false) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
  // Errors interrupt (alert); other news waits its turn (status).
  message.setAttribute('role', isError ? 'alert' : 'status');
  message.hidden = false;
}

function clearMessage() {
  const message = document.getElementById('message');
  message.hidden = true;
  message.textContent = '';
}

/** An error whose message is already fit for the page. */
class ApiError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

function readableError(error) {
  if (error instanceof ApiError) {
    return error.message;
  }
  return 'Something went wrong in this page: ' + (error && error.message ? error.message : String(error));
}

// ---------------------------------------------------------------- CSRF

// Spring Security keeps the CSRF token in the XSRF-TOKEN cookie (CookieCsrfTokenRepository,
// readable by this origin only) and expects it back in the X-XSRF-TOKEN header on POST and
// DELETE: see SecurityConfiguration. /sample/config writes the cookie if it is missing.
function csrfCookie() {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'XSRF-TOKEN') {
      return decodeURIComponent(value.join('='));
    }
  }
  return null;
}

async function csrfToken() {
  let token = csrfCookie();
  if (!token) {
    await api('GET', '/sample/config');
    token = csrfCookie();
  }
  return token;
}

// ---------------------------------------------------------------- the API

/**
 * Calls the app. Answers the parsed JSON body (or null); throws an ApiError whose message is a
 * readable sentence built from the RFC 9457 Problem Details, never a stack trace.
 */
async function api(method, path, body) {
  const headers = {
    'Accept': 'application/json, application/problem+json',
    // Makes Spring Security answer 401 instead of redirecting a script to the login page.
    'X-Requested-With': 'XMLHttpRequest',
  };
  if (method !== 'GET') {
    headers['X-XSRF-TOKEN'] = await csrfToken();
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      redirect: 'error',
    });
  } catch (error) {
    throw new ApiError('Could not reach the application. Check your connection and try again.', 0, null);
  }
  const type = response.headers.get('Content-Type') || '';
  const isJson = type.includes('json');
  const payload = isJson ? await response.json().catch(() => null) : null;
  if (response.ok) {
    return payload;
  }
  throw new ApiError(problemMessage(response.status, isJson ? payload : null), response.status, payload);
}

/** One sentence from Problem Details: title, detail and code, or a fallback per status. */
function problemMessage(status, problem) {
  if (status === 401) {
    return 'Your session has ended. Reload the page to log in again.';
  }
  if (status === 403 && !(problem && problem.code)) {
    return 'The request was refused (403). Reload the page and try again.';
  }
  if (problem && (problem.title || problem.detail)) {
    let text = problem.title || '';
    if (problem.detail && problem.detail !== problem.title) {
      text += (text ? ': ' : '') + problem.detail;
    }
    if (problem.code) {
      text += ' (' + problem.code + ')';
    }
    if (problem.code === 'approval-denied') {
      text += '. The request is closed; calling the tool again asks for a new approval.';
    } else if (problem.code === 'tool-denied') {
      text += '. A policy of this application does not allow the tool.';
    }
    return text;
  }
  if (status >= 500) {
    return 'The application could not complete the request (HTTP ' + status + '). Try again later.';
  }
  return 'The request failed (HTTP ' + status + ').';
}

// ---------------------------------------------------------------- connections

let connections = [];

async function loadConnections() {
  connections = await api('GET', API + '/connections');
  const rows = document.getElementById('connections');
  rows.replaceChildren(...connections.map(connectionRow));
  document.getElementById('no-connections').hidden = connections.length > 0;
  document.getElementById('connections-table').hidden = connections.length === 0;
  return connections;
}

function connectionRow(connection) {
  const name = connection.name || connection.serverUrl;
  const actions = el('td', {},
    el('button', { type: 'button', onclick: () => run(() => showTools(connection)) }, 'Tools'),
    connection.status !== 'ACTIVE'
      ? el('button', { type: 'button', onclick: () => run(() => reauthorize(connection)) }, 'Re-authorize')
      : null,
    el('button', { type: 'button', onclick: () => run(() => revoke(connection)) }, 'Revoke'));
  return el('tr', { 'data-connection-id': connection.id },
    el('td', {}, name),
    el('td', { className: 'server' }, connection.serverUrl),
    el('td', { className: 'remote-account' }, remoteAccountText(connection)),
    el('td', { className: 'status status-' + connection.status },
      STATUS_TEXT[connection.status] || connection.status,
      ' ', el('code', {}, connection.status)),
    actions);
}

/**
 * Which account at the server's authorization server the connection is signed in as, when that
 * server is an OpenID provider: "Connected as Alice Anderson (alice@example.com)"; else a dash.
 */
function remoteAccountText(connection) {
  const account = connection.remoteAccount;
  if (!account) {
    return el('span', { title: 'The server does not tell which account this is (no OpenID Connect)' }, '—');
  }
  const email = account.email && account.email !== account.name ? ' (' + account.email + ')' : '';
  return el('span', { title: 'Subject ' + account.subject + ' at ' + connection.issuer },
    'Connected as ' + account.name + email);
}

async function link(event) {
  event.preventDefault();
  const serverUrl = document.getElementById('server-url').value.trim();
  const name = document.getElementById('server-name').value.trim();
  if (!serverUrl) {
    showMessage('Enter the URL of an MCP server.', true);
    document.getElementById('server-url').focus();
    return;
  }
  const button = document.getElementById('link-button');
  button.disabled = true;
  showMessage('Linking ' + serverUrl + '…');
  try {
    const body = { serverUrl, returnTo: '/' };
    if (name) {
      body.name = name;
    }
    const created = await api('POST', API + '/connections', body);
    if (created.authorizationUrl) {
      showMessage('Taking you to the server to sign in and give consent…');
      window.location.assign(created.authorizationUrl);
      return;
    }
    showMessage('Linked “' + (created.name || created.serverUrl) + '”; status ' + created.status + '.');
    await loadConnections();
  } finally {
    button.disabled = false;
  }
}

async function reauthorize(connection) {
  const start = await api('POST', API + '/connections/' + encodeURIComponent(connection.id) + '/authorize',
    { returnTo: '/' });
  if (start.authorizationUrl) {
    showMessage('Taking you to the server to sign in again…');
    window.location.assign(start.authorizationUrl);
  } else {
    showMessage('“' + (start.name || start.serverUrl) + '” needs no authorization.');
    await loadConnections();
  }
}

async function revoke(connection) {
  await api('DELETE', API + '/connections/' + encodeURIComponent(connection.id));
  const section = document.getElementById('tools-section');
  if (section.dataset.connectionId === connection.id) {
    section.hidden = true;
    document.getElementById('tools').replaceChildren();
  }
  showMessage('Revoked “' + (connection.name || connection.serverUrl) + '”: its tokens were revoked and'
    + ' the connection deleted.');
  await loadConnections();
}

// ---------------------------------------------------------------- tools

async function showTools(connection) {
  const section = document.getElementById('tools-section');
  const container = document.getElementById('tools');
  const heading = document.getElementById('tools-heading');
  heading.textContent = 'Tools of “' + (connection.name || connection.serverUrl) + '”';
  section.dataset.connectionId = connection.id;
  container.replaceChildren(el('p', {}, 'Loading tools…'));
  section.hidden = false;
  let tools;
  try {
    tools = await api('GET', API + '/connections/' + encodeURIComponent(connection.id) + '/tools');
  } catch (error) {
    container.replaceChildren(el('p', { className: 'error' }, readableError(error)));
    throw error;
  }
  clearMessage();
  container.replaceChildren(...(tools.length ? tools.map((tool) => toolCard(connection, tool))
    : [el('p', {}, 'This server offers no tools.')]));
  heading.focus();
}

function toolCard(connection, tool) {
  const annotations = tool.annotations || {};
  const fieldPrefix = 'tool-' + cssSafe(tool.name) + '-';
  const schema = tool.inputSchema || { type: 'object', properties: {} };
  const properties = schema.properties || {};
  const required = new Set(schema.required || []);
  const fields = Object.entries(properties).map(([name, property]) =>
    schemaField(fieldPrefix + cssSafe(name), name, property || {}, required.has(name)));
  const result = el('div', { className: 'result', 'aria-live': 'polite' });
  const form = el('form', { novalidate: true, 'aria-label': 'Call ' + tool.name },
    fields.map((field) => field.element),
    el('button', { type: 'submit' }, 'Call ' + tool.name));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(() => callTool(connection, tool, fields, result, form));
  });
  return el('article', { className: 'tool', 'data-tool': tool.name },
    el('h3', {}, tool.title || tool.name, ' ', tool.title ? el('code', {}, tool.name) : null),
    tool.description ? el('p', {}, tool.description) : null,
    el('p', {},
      annotations.readOnlyHint ? el('span', { className: 'badge' }, 'read-only') : null,
      annotations.destructiveHint ? el('span', { className: 'badge destructive' }, 'destructive') : null,
      annotations.idempotentHint ? el('span', { className: 'badge' }, 'idempotent') : null),
    el('details', {}, el('summary', {}, 'Input schema'), el('pre', {}, JSON.stringify(schema, null, 2))),
    form,
    result);
}

function cssSafe(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A labelled input for one property of a JSON schema; value() answers [present, value]. */
function schemaField(id, name, property, isRequired) {
  const type = Array.isArray(property.type) ? property.type.find((t) => t !== 'null') : property.type;
  const hintId = id + '-hint';
  const hint = property.description ? el('small', { id: hintId }, property.description) : null;
  const labelText = [property.title || name, isRequired ? ' (required)' : ''];
  const common = { id, name, required: isRequired, 'aria-describedby': hint ? hintId : null };
  let input;
  let value;
  if (Array.isArray(property.enum)) {
    input = el('select', common,
      isRequired ? null : el('option', { value: '' }, '(none)'),
      property.enum.map((option, index) => el('option', { value: String(index) }, JSON.stringify(option))));
    value = () => (input.value === '' ? [false] : [true, property.enum[Number(input.value)]]);
  } else if (type === 'boolean') {
    input = el('input', { ...common, type: 'checkbox', checked: property.default === true });
    value = () => [true, input.checked];
    // A checkbox reads best with its label after it.
    return { name, element: el('p', {}, input, ' ', el('label', { for: id }, labelText), hint), value, isRequired };
  } else if (type === 'number' || type === 'integer') {
    input = el('input', { ...common, type: 'number', step: type === 'integer' ? '1' : 'any',
      value: property.default });
    value = () => {
      if (input.value.trim() === '') {
        return [false];
      }
      const number = Number(input.value);
      if (!Number.isFinite(number) || (type === 'integer' && !Number.isInteger(number))) {
        throw new ApiError('“' + name + '” must be ' + (type === 'integer' ? 'a whole number.' : 'a number.'));
      }
      return [true, number];
    };
  } else if (type === 'string' || type === undefined && !property.properties && !property.items) {
    input = el('input', { ...common, type: 'text', value: property.default });
    value = () => (input.value === '' ? [false] : [true, input.value]);
  } else {
    // Objects, arrays and anything else: JSON typed by hand.
    input = el('textarea', { ...common, rows: 3 });
    input.placeholder = type === 'array' ? '[ … ] (JSON)' : '{ … } (JSON)';
    value = () => {
      if (input.value.trim() === '') {
        return [false];
      }
      try {
        return [true, JSON.parse(input.value)];
      } catch (error) {
        throw new ApiError('“' + name + '” must be JSON: ' + error.message);
      }
    };
  }
  return { name, element: el('p', {}, el('label', { for: id }, labelText), input, hint), value, isRequired };
}

async function callTool(connection, tool, fields, result, form) {
  const args = {};
  for (const field of fields) {
    const [present, value] = field.value();
    if (present) {
      args[field.name] = value;
    } else if (field.isRequired) {
      throw new ApiError('Fill in “' + field.name + '” to call ' + tool.name + '.');
    }
  }
  // No confirm() for destructive tools: the connector itself holds such calls for an approval
  // (mcp.connector.governance.approval.destructive-tools in application-demo.yml).
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  result.className = 'result';
  result.replaceChildren(el('p', {}, 'Calling ' + tool.name + '…'));
  try {
    const answer = await api('POST', API + '/connections/' + encodeURIComponent(connection.id) + '/tools/'
      + encodeURIComponent(tool.name), args);
    if (answer && answer.status === 'APPROVAL_PENDING') {
      // 202: the connector filed (or found) an approval request for exactly these arguments.
      const text = tool.name + ' needs approval — approve it below, then call it again';
      result.className = 'result pending';
      result.dataset.approvalId = answer.approvalId;
      result.replaceChildren(el('p', {}, text + '.'),
        el('p', {}, el('a', { href: '#approvals-heading' }, 'Go to the pending approvals')));
      showMessage(text + ' with the same arguments.');
      pendingResults.set(answer.approvalId, { tool: tool.name, result });
      await loadApprovals(answer.approvalId);
      await loadInsights();
      return;
    }
    delete result.dataset.approvalId;
    const isError = answer && answer.isError === true;
    result.className = 'result' + (isError ? ' error' : '');
    result.replaceChildren(
      el('p', {}, isError ? 'The tool reported an error:' : 'Result:'),
      ...contentBlocks(answer));
    clearMessage();
    await loadInsights();
  } catch (error) {
    result.className = 'result error';
    delete result.dataset.approvalId;
    result.replaceChildren(el('p', {}, readableError(error)));
    await loadInsights().catch(() => {});
    throw error;
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- approvals

/** The result areas of tool cards that wait for an approval, by approval id. */
const pendingResults = new Map();

/** Lists the pending approvals; highlights the one with this id, if given. */
async function loadApprovals(highlightId) {
  const approvals = await api('GET', API + '/approvals');
  const rows = document.getElementById('approvals');
  rows.replaceChildren(...approvals.map((approval) => approvalRow(approval, approval.id === highlightId)));
  document.getElementById('approvals-table').hidden = approvals.length === 0;
  document.getElementById('no-approvals').hidden = approvals.length > 0;
  return approvals;
}

function prettyArguments(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch (e) {
    return json;
  }
}

function approvalRow(approval, highlight) {
  const connection = connections.find((c) => c.id === approval.connectionId);
  const what = approval.tool + ' ' + approval.arguments;
  return el('tr', { 'data-approval-id': approval.id, className: highlight ? 'highlight' : null },
    el('td', {}, el('code', {}, approval.tool),
      connection ? el('small', {}, 'on “' + (connection.name || connection.serverUrl) + '”') : null),
    el('td', {}, approval.requestedBy),
    // The whole canonical arguments the approval is bound to; long ones scroll, nothing is cut.
    el('td', {}, el('pre', { className: 'preview' }, prettyArguments(approval.arguments))),
    el('td', {}, el('time', { datetime: approval.expiresAt }, expiry(approval.expiresAt))),
    el('td', {},
      el('button', { type: 'button', 'aria-label': 'Approve ' + what,
        onclick: () => run(() => decide(approval, 'approve')) }, 'Approve'),
      el('button', { type: 'button', 'aria-label': 'Deny ' + what,
        onclick: () => run(() => decide(approval, 'deny')) }, 'Deny')));
}

/** "14:05:09 (in 15 min)" */
function expiry(instant) {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) {
    return String(instant);
  }
  const minutes = Math.round((at.getTime() - Date.now()) / 60000);
  const relative = minutes <= 0 ? 'less than a minute left' : 'in ' + minutes + ' min';
  return at.toLocaleTimeString() + ' (' + relative + ')';
}

async function decide(approval, decision) {
  await api('POST', API + '/approvals/' + encodeURIComponent(approval.id) + '/' + decision);
  const waiting = pendingResults.get(approval.id);
  pendingResults.delete(approval.id);
  const what = approval.tool + ' ' + approval.arguments;
  let text;
  if (decision === 'approve') {
    text = 'Approved ' + what + '. Call ' + approval.tool + ' again with the same arguments to run it;'
      + ' the approval is good for that one call.';
  } else {
    text = 'Denied ' + what + '. The request is closed; calling the tool again asks for a new approval.';
  }
  if (waiting && waiting.result.dataset.approvalId === approval.id) {
    waiting.result.className = 'result' + (decision === 'approve' ? ' approved' : ' error');
    waiting.result.replaceChildren(el('p', {}, decision === 'approve'
      ? 'Approved: call ' + approval.tool + ' again to run it.'
      : 'Denied: this request is closed. Calling again asks for a new approval.'));
  }
  showMessage(text);
  await loadApprovals();
  await loadInsights();
}

// ---------------------------------------------------------------- audit trail and usage

// GET /api/mcp/audit and /api/mcp/usage exist only in versions of the connector that keep an
// audit log; the page asks once and hides both sections when they are not there.
const insights = { audit: null, usage: null };

/** Answers the parsed body on 200, null on anything else (the endpoint is optional). */
async function optionalGet(path) {
  try {
    const response = await fetch(path, { headers: { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'same-origin', redirect: 'error' });
    if (response.status !== 200) {
      return null;
    }
    const body = await response.json();
    return Array.isArray(body) ? body : null;
  } catch (error) {
    return null;
  }
}

async function loadInsights() {
  if (insights.audit !== false) {
    const events = await optionalGet(API + '/audit?limit=20');
    // Only a first "not there" hides the section for good; a later failure keeps the last rows.
    if (events === null) {
      if (insights.audit === null) {
        insights.audit = false;
      }
    } else {
      insights.audit = true;
      document.getElementById('audit').replaceChildren(...events.slice(0, 20).map(auditRow));
      document.getElementById('no-audit').hidden = events.length > 0;
      document.getElementById('audit-table').hidden = events.length === 0;
    }
    document.getElementById('audit-section').hidden = insights.audit !== true;
  }
  if (insights.usage !== false) {
    const usage = await optionalGet(API + '/usage');
    if (usage === null) {
      if (insights.usage === null) {
        insights.usage = false;
      }
    } else {
      insights.usage = true;
      document.getElementById('usage').replaceChildren(...usage.map(usageRow));
      document.getElementById('no-usage').hidden = usage.length > 0;
      document.getElementById('usage-table').hidden = usage.length === 0;
    }
    document.getElementById('usage-section').hidden = insights.usage !== true;
  }
}

const EVENT_TEXT = {
  TOOL_CALL: 'Tool call',
  APPROVAL_DECISION: 'Approval decision',
  AUTHORIZATION: 'Authorization',
};

function auditRow(event) {
  const when = new Date(event.at);
  const outcome = [event.outcome, event.decision && event.decision !== event.outcome ? '(' + event.decision + ')' : null,
    event.actor ? 'by ' + event.actor : null].filter(Boolean).join(' ');
  return el('tr', {},
    el('td', {}, el('time', { datetime: event.at }, Number.isNaN(when.getTime()) ? event.at : when.toLocaleString())),
    el('td', {}, EVENT_TEXT[event.type] || String(event.type)),
    el('td', {}, event.tool ? el('code', {}, event.tool) : '—'),
    el('td', {}, outcome || '—'));
}

function usageRow(row) {
  const connection = connections.find((c) => c.id === row.connectionId);
  const latency = row.avgLatencyMillis === null || row.avgLatencyMillis === undefined
    ? '—' : Math.round(row.avgLatencyMillis) + ' ms';
  return el('tr', {},
    el('td', {}, row.day),
    el('td', {}, connection ? (connection.name || connection.serverUrl) : (row.connectionId || '—')),
    el('td', {}, row.tool ? el('code', {}, row.tool) : '—'),
    el('td', { className: 'number' }, String(row.calls)),
    el('td', { className: 'number' }, String(row.errors)),
    el('td', { className: 'number' }, String(row.toolErrors)),
    el('td', { className: 'number' }, latency));
}

function contentBlocks(answer) {
  const content = (answer && Array.isArray(answer.content)) ? answer.content : [];
  const blocks = content.map((item) => {
    if (item.type === 'text') {
      return el('pre', { className: 'tool-output' }, item.text);
    }
    if (item.type === 'resource' && item.resource) {
      return el('pre', { className: 'tool-output' }, item.resource.text !== undefined
        ? item.resource.text : '[resource ' + item.resource.uri + ']');
    }
    if (item.type === 'resource_link') {
      return el('p', {}, '[resource link ' + (item.uri || '') + ']');
    }
    return el('p', {}, '[' + item.type + ' content' + (item.mimeType ? ', ' + item.mimeType : '') + ']');
  });
  if (answer && answer.structuredContent !== undefined && answer.structuredContent !== null) {
    blocks.push(el('details', {}, el('summary', {}, 'Structured content'),
      el('pre', {}, JSON.stringify(answer.structuredContent, null, 2))));
  }
  return blocks.length ? blocks : [el('p', {}, '(no content)')];
}

// ---------------------------------------------------------------- gateway tokens

const GATEWAY_URL = window.location.origin + API + '/gateway/mcp';

async function loadGatewayTokens() {
  const tokens = await api('GET', API + '/gateway/tokens');
  document.getElementById('gateway-tokens').replaceChildren(...tokens.map(gatewayTokenRow));
  document.getElementById('gateway-tokens-table').hidden = tokens.length === 0;
  document.getElementById('no-gateway-tokens').hidden = tokens.length > 0;
}

function gatewayTokenRow(token) {
  return el('tr', { 'data-gateway-token-id': token.id },
    el('td', {}, token.name),
    el('td', {}, new Date(token.createdAt).toLocaleString()),
    el('td', {}, new Date(token.expiresAt).toLocaleString()),
    el('td', {}, token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : 'never'),
    el('td', {}, el('button', { type: 'button', onclick: () => run(() => revokeGatewayToken(token)) }, 'Revoke')));
}

async function createGatewayToken(event) {
  event.preventDefault();
  const name = document.getElementById('gateway-token-name').value.trim();
  if (!name) {
    showMessage('Give the token a label.', true);
    return;
  }
  const days = Number(document.getElementById('gateway-token-days').value);
  const expiresAt = new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
  const created = await api('POST', API + '/gateway/tokens', { name, expiresAt });
  document.getElementById('gateway-secret').textContent = created.secret;
  document.getElementById('gateway-secret-box').hidden = false;
  showMessage('Created gateway token “' + created.token.name + '”. Copy it now: it is not shown again.');
  await loadGatewayTokens();
}

async function revokeGatewayToken(token) {
  await api('DELETE', API + '/gateway/tokens/' + encodeURIComponent(token.id));
  document.getElementById('gateway-secret-box').hidden = true;
  document.getElementById('gateway-secret').textContent = '';
  showMessage('Revoked gateway token “' + token.name + '”.');
  await loadGatewayTokens();
}

async function copyGatewayUrl() {
  const input = document.getElementById('gateway-url');
  try {
    await navigator.clipboard.writeText(input.value);
    showMessage('Gateway URL copied.');
  } catch (error) {
    input.select();
    showMessage('Select the gateway URL and copy it (the browser did not allow copying).', true);
  }
}

// ---------------------------------------------------------------- start-up

/** Runs an action; any error becomes a readable message on the page. */
async function run(action) {
  try {
    await action();
  } catch (error) {
    showMessage(readableError(error), true);
  }
}

/** The OAuth callback sends the browser back to "/?connection=<id>&outcome=authorized|denied[&error=…]". */
function callbackOutcome() {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('outcome')) {
    return null;
  }
  const outcome = { connection: params.get('connection'), outcome: params.get('outcome'), error: params.get('error') };
  // Drop the parameters so that a reload does not repeat the message.
  window.history.replaceState(null, '', window.location.pathname);
  return outcome;
}

async function logout() {
  // Spring Security answers the logout with a redirect to /login?logout; follow it as a page.
  await fetch('/logout', { method: 'POST', headers: { 'X-XSRF-TOKEN': await csrfToken() },
    credentials: 'same-origin', redirect: 'manual' });
  window.location.assign('/login?logout');
}

async function start() {
  document.getElementById('link-form').addEventListener('submit', (event) => run(() => link(event)));
  document.getElementById('logout').addEventListener('click', () => run(logout));
  document.getElementById('gateway-url').value = GATEWAY_URL;
  document.getElementById('copy-gateway-url').addEventListener('click', () => run(copyGatewayUrl));
  document.getElementById('gateway-token-form').addEventListener('submit',
    (event) => run(() => createGatewayToken(event)));
  document.getElementById('refresh-approvals').addEventListener('click', () => run(async () => {
    await loadApprovals();
    await loadInsights();
  }));
  const outcome = callbackOutcome();
  await run(async () => {
    const config = await api('GET', '/sample/config');
    document.getElementById('user').textContent = 'Signed in as ' + config.user;
    if (config.demoServerUrl) {
      document.getElementById('server-url').value = config.demoServerUrl;
      document.getElementById('server-name').value = 'Demo server';
    }
  });
  await run(async () => {
    await loadConnections();
    if (outcome) {
      const connection = connections.find((c) => c.id === outcome.connection);
      const name = connection ? '“' + (connection.name || connection.serverUrl) + '”' : 'The server';
      if (outcome.outcome === 'authorized') {
        const account = connection && connection.remoteAccount ? ' as ' + connection.remoteAccount.name : '';
        showMessage(name + ' is connected' + account + (connection ? ' (status ' + connection.status + ').' : '.'));
      } else if (outcome.error === 'access_denied') {
        showMessage('Consent was declined at the authorization server (access_denied): '
          + (connection ? name : 'the server') + ' is not connected. Press Re-authorize to try again.', true);
      } else {
        showMessage(name + ' was not connected: the authorization server answered '
          + (outcome.error ? outcome.error : 'without consent') + '. Press Re-authorize to try again.', true);
      }
    }
  });
  await run(() => loadGatewayTokens());
  await run(() => loadApprovals());
  await loadInsights();
}

start();
