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
    const row = rowOf(alice, demoMcpUrl);
    await row.locator('td.status', { hasText: 'ACTIVE' }).waitFor();
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

  await step('a missing required argument is refused on the page', async () => {
    const slow = alice.locator('article[data-tool="slow"]');
    await slow.getByRole('button', { name: 'Call slow' }).click();
    const text = await waitForMessage(alice, 'Fill in');
    checkReadable(text, 'missing argument');
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
    await shot(bob, '06-bob-sees-nothing');
  });

  await step('a connection left without consent shows Re-authorize, which completes it', async () => {
    // Start linking a second time, but stop the browser before it reaches the authorization server.
    const issuer = new URL(demoMcpUrl).origin;
    await alice.route(issuer + '/oauth2/authorize**', (route) => route.abort());
    await alice.getByLabel('Name').fill('Second link');
    await alice.getByRole('button', { name: 'Link server' }).click();
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

  await step('alice revokes her connections (DELETE with the CSRF token)', async () => {
    for (const name of ['Second link', 'Demo server']) {
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
