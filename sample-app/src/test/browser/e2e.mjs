// End-to-end test of the sample app's page in a real Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core; Playwright never downloads a browser here).
//
//   node e2e.mjs <appBaseUrl> [demoMcpUrl] [closedPort]
//
// e.g. node e2e.mjs http://localhost:8080 http://127.0.0.1:9000/mcp 1
// BrowserFlowTests runs it against an app it started. Environment: CHROMIUM (default
// /usr/bin/chromium), SCREENSHOT_DIR (default ../../../target/screenshots), E2E_TIMEOUT_MS.
// Exits 0 when every step passed, 1 with the failing step otherwise.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const [baseArg, demoMcpUrlArg, closedPortArg] = process.argv.slice(2);
if (!baseArg) {
  console.error('usage: node e2e.mjs <appBaseUrl> [demoMcpUrl] [closedPort]');
  process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');
const demoMcpUrl = demoMcpUrlArg || 'http://127.0.0.1:9000/mcp';
const closedPort = closedPortArg || '1';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshots = resolve(process.env.SCREENSHOT_DIR || join(here, '..', '..', '..', 'target', 'screenshots'));
const timeout = Number(process.env.E2E_TIMEOUT_MS || 30000);

mkdirSync(screenshots, { recursive: true });

const userDataDirs = [];
const contexts = [];
const pageErrors = [];

/** A fresh Chromium profile (own --user-data-dir, so no cookie survives between users or runs). */
async function browserFor(user) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'mcp-sample-e2e-' + user + '-'));
  userDataDirs.push(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 900 },
  });
  contexts.push(context);
  context.setDefaultTimeout(timeout);
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(user + ': ' + error.message));
  page.on('console', (message) => {
    // The page probes GET /api/mcp/audit and /usage, which older connectors answer with 404, and
    // Chromium logs every failed fetch as an error: expected, not worth a line.
    const url = message.location() && message.location().url || '';
    if (message.type() === 'error' && /\/api\/mcp\/(audit|usage)\b/.test(url + ' ' + message.text())) {
      return;
    }
    if (message.type() === 'error') {
      console.log(`  [${user} console] ${message.text()}`);
    }
  });
  return page;
}

let stepName = '(start)';
async function step(name, body) {
  stepName = name;
  const started = Date.now();
  await body();
  console.log(`ok   ${name} (${Date.now() - started} ms)`);
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function shot(page, name) {
  const path = join(screenshots, name + '.png');
  await page.screenshot({ path, fullPage: true });
  console.log(`     screenshot ${path}`);
}

/** Spring Security's generated login page (both the app's and the demo authorization server's). */
async function signIn(page, username, password) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function waitForMessage(page, pattern) {
  const message = page.locator('#message');
  await message.filter({ hasText: pattern }).waitFor({ state: 'visible' });
  return (await message.textContent()).trim();
}

/**
 * An error message must read like a sentence: no stack trace, no qualified Java class name, no
 * markup, no "undefined" or "[object Object]" from a careless page.
 */
function checkReadable(text, what) {
  check(text.length > 10, `${what}: message too short: "${text}"`);
  check(!/\bat [\w$.]+\(|\b(java|javax|jakarta|org|dev|io)\.[a-z]\w*\.|<[a-z]+[ >]|undefined|\[object /.test(text),
    `${what}: message is not readable: "${text}"`);
}

function rowOf(page, text) {
  return page.locator('#connections tr', { hasText: text });
}

function approvalRows(page) {
  return page.locator('#approvals tr');
}

/** Calls delete-note with this note id from its generated form. */
async function callDeleteNote(page, id) {
  const deleteNote = page.locator('article[data-tool="delete-note"]');
  await deleteNote.getByLabel('id (required)', { exact: true }).fill(id);
  await deleteNote.getByRole('button', { name: 'Call delete-note' }).click();
  return deleteNote;
}

/** A call that needs an approval: the readable message, and exactly one pending row for it. */
async function expectApprovalPending(page, noteId) {
  const text = await waitForMessage(page, 'needs approval');
  checkReadable(text, 'approval pending');
  check(text.includes('delete-note needs approval — approve it below, then call it again'),
    'approval message: ' + text);
  const result = page.locator('article[data-tool="delete-note"] .result.pending');
  await result.filter({ hasText: 'delete-note needs approval' }).waitFor();
  const approvalId = await result.getAttribute('data-approval-id');
  check(/^[0-9a-f-]{36}$/.test(approvalId || ''), 'approval id on the result: ' + approvalId);
  const row = approvalRows(page).filter({ hasText: new RegExp('"id": "?' + noteId + '"?') });
  await row.waitFor();
  check(await approvalRows(page).count() === 1, 'expected exactly one pending approval, got '
    + await approvalRows(page).count());
  check(await row.getAttribute('data-approval-id') === approvalId, 'the listed approval is not the call\'s');
  const cells = await row.locator('td').allTextContents();
  check(cells[0].includes('delete-note') && cells[1].trim() === 'alice' && new RegExp('^\\{\\s*"id": "?' + noteId + '"?\\s*\\}$').test(cells[2].trim())
    && /\d/.test(cells[3]), 'approval row: ' + JSON.stringify(cells));
  return { row, approvalId };
}

async function main() {
  console.log(`e2e against ${base}, demo MCP server ${demoMcpUrl}, Chromium ${executablePath}`);
  const alice = await browserFor('alice');
  let connectionId;

  await step('alice logs in to the app with the form', async () => {
    await alice.goto(base + '/');
    check(new URL(alice.url()).pathname === '/login', 'expected the login page, got ' + alice.url());
    await signIn(alice, 'alice', 'alice');
    await alice.getByText('Signed in as alice').waitFor();
    const prefilled = await alice.getByLabel('MCP server URL').inputValue();
    check(prefilled === demoMcpUrl, `the demo MCP URL should be pre-filled, was "${prefilled}"`);
    // alice may own connections from other tests; none to this demo server yet.
    await alice.locator('#connections-table, #no-connections').locator('visible=true').first().waitFor();
    check(await rowOf(alice, demoMcpUrl).count() === 0, 'alice already has a connection to the demo server');
    await shot(alice, '01-signed-in');
  });

  await step('alice links the demo server and gives consent at its authorization server', async () => {
    await alice.getByRole('button', { name: 'Link server' }).click();
    // The browser goes to the demo authorization server on 127.0.0.1, which asks alice to log in.
    await alice.waitForURL((url) => url.host === new URL(demoMcpUrl).host && url.pathname === '/login');
    await shot(alice, '02-authorization-server-login');
    await signIn(alice, 'alice', 'alice');
    // It approves by itself and sends the browser to the app's callback, which returns to "/".
    await alice.waitForURL((url) => url.origin === new URL(base).origin && url.pathname === '/');
    const text = await waitForMessage(alice, 'is connected');
    check(text.includes('ACTIVE'), 'expected status ACTIVE in: ' + text);
    // The demo server is an OpenID provider: the page says which account there the link uses.
    check(text.includes('as Alice Anderson'), 'expected the remote account in: ' + text);
    const row = rowOf(alice, demoMcpUrl);
    await row.locator('td.status', { hasText: 'ACTIVE' }).waitFor();
    await row.locator('td.remote-account', { hasText: 'Connected as Alice Anderson (alice@example.com)' }).waitFor();
    connectionId = await row.getAttribute('data-connection-id');
    check(/^[0-9a-f-]{36}$/.test(connectionId), 'connection id: ' + connectionId);
    check(!alice.url().includes('outcome='), 'the callback parameters should be cleared from the address bar');
    await shot(alice, '03-connected');
  });

  await step('alice lists the tools with their input schemas', async () => {
    await rowOf(alice, demoMcpUrl).getByRole('button', { name: 'Tools' }).click();
    for (const tool of ['echo', 'add', 'slow', 'delete-note']) {
      await alice.locator(`article[data-tool="${tool}"]`).waitFor();
    }
    const deleteNote = alice.locator('article[data-tool="delete-note"]');
    check(await deleteNote.locator('.badge.destructive').count() === 1, 'delete-note should be marked destructive');
    const echo = alice.locator('article[data-tool="echo"]');
    await echo.getByText('Input schema').click();
    const schema = JSON.parse(await echo.locator('details pre').textContent());
    check(schema.properties && schema.properties.message && schema.properties.message.type === 'string',
      'echo schema: ' + JSON.stringify(schema));
    await shot(alice, '04-tools');
  });

  await step('alice calls echo and add from the generated forms', async () => {
    const echo = alice.locator('article[data-tool="echo"]');
    const value = 'Hello <b>from</b> the browser & co';
    await echo.getByLabel('message').fill(value);
    await echo.getByRole('button', { name: 'Call echo' }).click();
    await echo.locator('pre.tool-output', { hasText: value }).waitFor();
    // Shown as text, not markup.
    check(await echo.locator('.result b').count() === 0, 'tool output must not be parsed as HTML');

    const add = alice.locator('article[data-tool="add"]');
    await add.getByLabel('a (required)', { exact: true }).fill('2.5');
    await add.getByLabel('b (required)', { exact: true }).fill('4');
    await add.getByRole('button', { name: 'Call add' }).click();
    await add.locator('pre.tool-output', { hasText: '6.5' }).waitFor();
    await echo.scrollIntoViewIfNeeded();
    await shot(alice, '05-tool-results');
  });

  await step('alice creates a gateway token and copies the gateway URL; an AI platform uses both', async () => {
    const gatewayUrl = base + '/api/mcp/gateway/mcp';
    check(await alice.getByLabel('Gateway URL').inputValue() === gatewayUrl, 'gateway URL on the page');
    await alice.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await alice.getByRole('button', { name: 'Copy gateway URL' }).click();
    await waitForMessage(alice, 'Gateway URL copied');
    const copied = await alice.evaluate(() => navigator.clipboard.readText());
    check(copied === gatewayUrl, 'copied: ' + copied);

    const tokenName = 'OpenAI ' + Date.now();
    await alice.getByLabel('Token label').fill(tokenName);
    await alice.getByRole('button', { name: 'Create gateway token' }).click();
    await waitForMessage(alice, 'Created gateway token');
    const secret = (await alice.locator('#gateway-secret').textContent()).trim();
    check(/^mcpgw_[A-Za-z0-9_-]{40,}$/.test(secret), 'token shown once: ' + secret.slice(0, 6));
    const row = alice.locator('#gateway-tokens tr', { has: alice.getByRole('cell', { name: tokenName, exact: true }) });
    await row.waitFor();
    check(!(await alice.locator('#gateway-tokens').textContent()).includes(secret), 'the list shows no secret');

    // What OpenAI's or Anthropic's servers do with the two: MCP over HTTP with the bearer token.
    const rpc = async (id, method, params) => {
      const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'Authorization': 'Bearer ' + secret,
        'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }) });
      check(response.status === 200, method + ' answered ' + response.status);
      return (await response.json()).result;
    };
    await rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {},
      clientInfo: { name: 'e2e-platform', version: '1' } });
    const tools = (await rpc(2, 'tools/list', {})).tools.map((t) => t.name);
    check(tools.includes('Demo_server__echo'), 'gateway tools: ' + tools.join(', '));
    const echoed = await rpc(3, 'tools/call', { name: 'Demo_server__echo', arguments: { message: 'from a platform' } });
    check(JSON.stringify(echoed.content).includes('from a platform'), 'echo through the gateway: ' + JSON.stringify(echoed));
    await shot(alice, '04b-gateway-token');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await waitForMessage(alice, 'Revoked gateway token');
    await row.waitFor({ state: 'detached' });
    const refused = await fetch(gatewayUrl, { method: 'POST', headers: { 'Authorization': 'Bearer ' + secret,
      'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream' }, body: '{}' });
    check(refused.status === 401, 'a revoked token answered ' + refused.status);
  });

  await step('a missing required argument is refused on the page', async () => {
    const slow = alice.locator('article[data-tool="slow"]');
    await slow.getByRole('button', { name: 'Call slow' }).click();
    const text = await waitForMessage(alice, 'Fill in');
    checkReadable(text, 'missing argument');
  });

  let approvalIdForBob;
  await step('delete-note waits for an approval; alice approves it in the page and calls again', async () => {
    const deleteNote = await callDeleteNote(alice, '1');
    const { row } = await expectApprovalPending(alice, '1');
    check(await deleteNote.locator('pre.tool-output').count() === 0, 'a pending call must not show a result');
    await alice.locator('#approvals-section').scrollIntoViewIfNeeded();
    await shot(alice, '05a-approval-pending');

    await row.getByRole('button', { name: /^Approve delete-note/ }).click();
    const approved = await waitForMessage(alice, 'Approved delete-note');
    checkReadable(approved, 'approved');
    await row.waitFor({ state: 'detached' });
    await alice.getByText('Nothing is waiting for approval.').waitFor();

    // The same form, the same arguments: the approval is used up by this call.
    await deleteNote.getByRole('button', { name: 'Call delete-note' }).click();
    await deleteNote.locator('pre.tool-output', { hasText: 'deleted note 1' }).waitFor();
    check(await approvalRows(alice).count() === 0, 'the approved call should leave nothing pending');
    await deleteNote.scrollIntoViewIfNeeded();
    await shot(alice, '05b-approved-result');
  });

  await step('a denied request is closed; the same call again asks for a new approval', async () => {
    await callDeleteNote(alice, '2');
    const first = await expectApprovalPending(alice, '2');
    await first.row.getByRole('button', { name: /^Deny delete-note/ }).click();
    const denied = await waitForMessage(alice, 'Denied delete-note');
    checkReadable(denied, 'denied');
    check(/calling the tool again asks for a new approval/i.test(denied), 'denied message: ' + denied);
    await first.row.waitFor({ state: 'detached' });
    await alice.getByText('Nothing is waiting for approval.').waitFor();
    await alice.locator('article[data-tool="delete-note"] .result', { hasText: 'Denied' }).waitFor();

    await alice.locator('article[data-tool="delete-note"]').getByRole('button', { name: 'Call delete-note' }).click();
    // Wait for the new request, not the message left over from the first one.
    await alice.locator(`#approvals tr:not([data-approval-id="${first.approvalId}"])`).waitFor();
    const second = await expectApprovalPending(alice, '2');
    check(second.approvalId !== first.approvalId, 'calling again after a denial should file a new request');
    await alice.locator('#approvals-section').scrollIntoViewIfNeeded();
    await shot(alice, '05c-denied-asks-again');
    approvalIdForBob = second.approvalId;
  });

  await step('the audit trail and usage show only when the connector serves them', async () => {
    const probe = await alice.evaluate(async () => {
      const statusOf = async (path) => (await fetch(path, { headers: { Accept: 'application/json' } })).status;
      return { audit: await statusOf('/api/mcp/audit?limit=20'), usage: await statusOf('/api/mcp/usage') };
    });
    const auditSection = alice.locator('#audit-section');
    const usageSection = alice.locator('#usage-section');
    if (probe.audit === 200 || probe.usage === 200) {
      // The log may be written in the background: refresh until the calls above show.
      for (let attempt = 0; attempt < 20; attempt++) {
        await alice.getByRole('button', { name: 'Refresh approvals' }).click();
        await alice.waitForTimeout(250);
        const auditDone = probe.audit !== 200 || await auditSection.locator('#audit tr', { hasText: 'delete-note' }).count() > 0;
        const usageDone = probe.usage !== 200 || await usageSection.locator('#usage tr', { hasText: 'echo' }).count() > 0;
        if (auditDone && usageDone) {
          break;
        }
      }
    }
    if (probe.audit === 200) {
      await auditSection.waitFor({ state: 'visible' });
      await auditSection.locator('#audit tr', { hasText: 'delete-note' }).first().waitFor();
      check(await auditSection.locator('#audit tr').count() <= 20, 'at most 20 audit events');
    } else {
      check(await auditSection.isHidden(), `GET /api/mcp/audit answered ${probe.audit}: the section should be hidden`);
    }
    if (probe.usage === 200) {
      await usageSection.waitFor({ state: 'visible' });
      await usageSection.locator('#usage tr', { hasText: 'echo' }).first().waitFor();
    } else {
      check(await usageSection.isHidden(), `GET /api/mcp/usage answered ${probe.usage}: the section should be hidden`);
    }
    console.log(`     GET /audit ${probe.audit}, GET /usage ${probe.usage}`);
    if (probe.audit === 200 || probe.usage === 200) {
      await shot(alice, '05d-audit-and-usage');
    }
  });

  await step('the page renders audit events and usage in the shape the connector serves', async () => {
    // Whether or not this connector has the endpoints yet: answer them here with records shaped
    // like McpAuditController's, so the tables are exercised either way (text only, no markup).
    const now = new Date().toISOString();
    const events = Array.from({ length: 25 }, (_, i) => ({
      id: 100 - i, at: now, tenantId: '', principal: 'alice', type: i === 0 ? 'APPROVAL_DECISION' : 'TOOL_CALL',
      connectionId: connectionId, tool: i === 1 ? '<b>delete-note</b>' : 'delete-note',
      outcome: i === 0 ? 'approved' : 'approval-pending', decision: i === 0 ? 'approved' : 'approve',
      latencyMillis: null, detail: null, actor: i === 0 ? 'alice' : null }));
    const usage = [{ day: now.substring(0, 10), tenantId: '', principal: 'alice', connectionId, tool: 'echo',
      calls: 3, errors: 0, toolErrors: 1, avgLatencyMillis: 12.4, p95LatencyMillis: 20 }];
    const json = (body) => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    const isAudit = (url) => url.pathname === '/api/mcp/audit';
    const isUsage = (url) => url.pathname === '/api/mcp/usage';
    await alice.route(isAudit, (route) => route.fulfill(json(events)));
    await alice.route(isUsage, (route) => route.fulfill(json(usage)));
    try {
      await alice.reload();
      await alice.getByText('Signed in as alice').waitFor();
      const audit = alice.locator('#audit-section');
      await audit.waitFor({ state: 'visible' });
      check(await audit.locator('#audit tr').count() === 20, 'the audit trail shows the latest 20 events');
      const first = await audit.locator('#audit tr').first().locator('td').allTextContents();
      check(first[1] === 'Approval decision' && first[2] === 'delete-note' && first[3] === 'approved by alice',
        'first audit row: ' + JSON.stringify(first));
      check(await audit.locator('#audit b').count() === 0, 'audit text must not be parsed as HTML');
      const row = await alice.locator('#usage-section #usage tr').first().locator('td').allTextContents();
      check(row[1] === 'Demo server' && row[2] === 'echo' && row[3] === '3' && row[5] === '1' && row[6] === '12 ms',
        'usage row: ' + JSON.stringify(row));
      await audit.scrollIntoViewIfNeeded();
      await shot(alice, '05e-audit-and-usage-rendered');
    } finally {
      await alice.unroute(isAudit);
      await alice.unroute(isUsage);
    }
    // Back to what the connector really serves.
    await alice.reload();
    await alice.getByText('Signed in as alice').waitFor();
    await alice.locator('#connections-table').waitFor();
  });

  const bob = await browserFor('bob');
  await step('bob logs in and sees none of alice\'s connections', async () => {
    await bob.goto(base + '/');
    await signIn(bob, 'bob', 'bob');
    await bob.getByText('Signed in as bob').waitFor();
    await bob.getByText('No connections yet.').waitFor();
    check(await bob.locator('#connections tr').count() === 0, 'bob sees rows');
    const probe = await bob.evaluate(async (id) => {
      const response = await fetch('/api/mcp/connections/' + id, { headers: { Accept: 'application/json' } });
      return { status: response.status, body: await response.text() };
    }, connectionId);
    check(probe.status === 404, `bob reading alice's connection: expected 404, got ${probe.status}`);
    const list = await bob.evaluate(async () => (await fetch('/api/mcp/connections')).json());
    check(Array.isArray(list) && list.length === 0, 'bob\'s list: ' + JSON.stringify(list));
    // Nor her pending approval: he cannot list it, approve it or deny it.
    await bob.getByText('Nothing is waiting for approval.').waitFor();
    const approvals = await bob.evaluate(async (id) => {
      const token = decodeURIComponent((document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN=')) || '=')
        .split('=')[1]);
      const post = async (decision) => (await fetch('/api/mcp/approvals/' + id + '/' + decision, {
        method: 'POST', headers: { 'X-XSRF-TOKEN': token, Accept: 'application/json' } })).status;
      return { list: await (await fetch('/api/mcp/approvals')).json(), approve: await post('approve'),
        deny: await post('deny') };
    }, approvalIdForBob);
    check(Array.isArray(approvals.list) && approvals.list.length === 0, 'bob\'s approvals: ' + JSON.stringify(approvals.list));
    check(approvals.approve === 404 && approvals.deny === 404,
      `bob deciding alice's approval: expected 404/404, got ${approvals.approve}/${approvals.deny}`);
    await shot(bob, '06-bob-sees-nothing');
    // alice's request is still there for her; she closes it.
    await alice.getByRole('button', { name: 'Refresh approvals' }).click();
    const row = approvalRows(alice).filter({ hasText: /"id": "?2"?/ });
    check(await row.getAttribute('data-approval-id') === approvalIdForBob, 'alice\'s approval after bob tried');
    await row.getByRole('button', { name: /^Deny delete-note/ }).click();
    await row.waitFor({ state: 'detached' });
  });

  await step('a connection left without consent shows Re-authorize, which completes it', async () => {
    // Start linking a second time, but stop the browser before it reaches the authorization server.
    const issuer = new URL(demoMcpUrl).origin;
    // Wait for the browser to be stopped there (not a fixed time: on a busy machine the connect
    // request may take longer, and the next navigation would race the page's own).
    let stopped;
    const reached = new Promise((resolve) => { stopped = resolve; });
    await alice.route(issuer + '/oauth2/authorize**', (route) => { stopped(); return route.abort(); });
    await alice.getByLabel('Name').fill('Second link');
    await alice.getByRole('button', { name: 'Link server' }).click();
    await reached;
    await alice.waitForTimeout(500);
    await alice.unroute(issuer + '/oauth2/authorize**');
    await alice.goto(base + '/');
    const row = rowOf(alice, 'Second link');
    await row.locator('td.status', { hasText: 'AUTHORIZATION_REQUIRED' }).waitFor();
    await shot(alice, '07-needs-consent');
    await row.getByRole('button', { name: 'Re-authorize' }).click();
    // alice is still logged in at the authorization server, which approves at once.
    await alice.waitForURL((url) => url.origin === new URL(base).origin && url.pathname === '/');
    await waitForMessage(alice, 'is connected');
    await rowOf(alice, 'Second link').locator('td.status', { hasText: 'ACTIVE' }).waitFor();
  });

  await step('consent declined at the authorization server reads as a sentence and leaves Re-authorize', async () => {
    // The demo authorization server approves by itself, so play its refusal: answer its
    // authorization endpoint the way RFC 6749 section 4.1.2.1 says a refusal looks, with the
    // state and the issuer (RFC 9207) the connector checks.
    const issuer = new URL(demoMcpUrl).origin;
    let refused = 0;
    await alice.route(issuer + '/oauth2/authorize**', async (route) => {
      const request = new URL(route.request().url());
      const target = new URL(request.searchParams.get('redirect_uri'));
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('state', request.searchParams.get('state'));
      target.searchParams.set('iss', issuer);
      refused++;
      await route.fulfill({ status: 302, headers: { Location: target.toString() } });
    });
    try {
      await alice.getByLabel('Name').fill('Declined link');
      await alice.getByRole('button', { name: 'Link server' }).click();
      await alice.waitForURL((url) => url.origin === new URL(base).origin && url.pathname === '/'
        && !url.search.includes('outcome='));
      const text = await waitForMessage(alice, 'Consent was declined');
      checkReadable(text, 'consent declined');
      check(text.includes('Consent was declined at the authorization server (access_denied)'), 'declined: ' + text);
      check(await alice.locator('#message.error[role="alert"]').count() === 1, 'the refusal should read as an error');
      check(refused === 1, 'the authorization request was intercepted ' + refused + ' times');
    } finally {
      await alice.unroute(issuer + '/oauth2/authorize**');
    }
    const row = rowOf(alice, 'Declined link');
    await row.locator('td.status', { hasText: 'AUTHORIZATION_REQUIRED' }).waitFor();
    await row.getByRole('button', { name: 'Re-authorize' }).waitFor();
    await shot(alice, '07a-consent-declined');
  });

  await step('alice revokes her connections (DELETE with the CSRF token)', async () => {
    for (const name of ['Declined link', 'Second link', 'Demo server']) {
      const row = alice.locator('#connections tr', { has: alice.getByRole('cell', { name, exact: true }) });
      check(await row.count() === 1, `one row named ${name}`);
      await row.getByRole('button', { name: 'Revoke' }).click();
      await waitForMessage(alice, `Revoked “${name}”`);
      await row.waitFor({ state: 'detached' });
    }
    await alice.reload();
    await alice.getByText('Signed in as alice').waitFor();
    await alice.locator('#connections-table, #no-connections').locator('visible=true').first().waitFor();
    check(await rowOf(alice, demoMcpUrl).count() === 0, 'a revoked connection is still listed');
    await shot(alice, '08-revoked');
  });

  await step('a malformed URL shows a readable message', async () => {
    await alice.getByLabel('MCP server URL').fill('not a url');
    await alice.getByRole('button', { name: 'Link server' }).click();
    const message = alice.locator('#message.error[role="alert"]');
    await message.waitFor();
    const text = (await message.textContent()).trim();
    checkReadable(text, 'bad URL');
    check(/invalid-connection-request|serverUrl/i.test(text), 'bad URL: ' + text);
    console.log(`     message: ${text}`);
    await shot(alice, '09-bad-url');
  });

  await step('a server that is down shows a readable message', async () => {
    await alice.getByLabel('MCP server URL').fill(`http://127.0.0.1:${closedPort}/mcp`);
    await alice.getByRole('button', { name: 'Link server' }).click();
    const message = alice.locator('#message.error[role="alert"]', { hasNotText: 'not a url' });
    await alice.waitForFunction(() => !document.getElementById('link-button').disabled);
    await message.waitFor();
    const text = (await message.textContent()).trim();
    checkReadable(text, 'server down');
    check(/could not be reached|unreachable/i.test(text), 'server down: ' + text);
    console.log(`     message: ${text}`);
    await shot(alice, '10-server-down');
  });

  await step('alice logs out', async () => {
    await alice.getByRole('button', { name: 'Log out' }).click();
    await alice.waitForURL((url) => url.pathname === '/login');
  });

  check(pageErrors.length === 0, 'JavaScript errors on the page:\n' + pageErrors.join('\n'));
}

let exitCode = 0;
try {
  await main();
  console.log('e2e: all steps passed');
} catch (error) {
  exitCode = 1;
  console.error(`FAIL ${stepName}: ${error && error.stack ? error.stack : error}`);
  for (const [index, context] of contexts.entries()) {
    for (const page of context.pages()) {
      try {
        const path = join(screenshots, `failure-${index}.png`);
        await page.screenshot({ path, fullPage: true });
        console.error(`     failure screenshot ${path} (at ${page.url()})`);
      } catch {
        // the browser may be gone
      }
    }
  }
} finally {
  for (const context of contexts) {
    await context.close().catch(() => {});
  }
  for (const dir of userDataDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(exitCode);
