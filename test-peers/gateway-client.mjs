// An MCP client from the official TypeScript SDK for the Java gateway tests:
//   node gateway-client.mjs <url> [<user> <password>] [<calls as JSON: [{"name", "arguments"}]>]
// Connects over Streamable HTTP (with HTTP Basic when a user is given), lists the tools, makes the
// calls, and prints one JSON line: {server, tools, calls} or {error: {code, message}}.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, user, password, callsJson] = process.argv.slice(2);
const headers = user
  ? { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') }
  : {};
const out = {};
const failure = (e) => ({ code: e?.code ?? null, message: String(e?.message ?? e) });

try {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'gateway-test-client', version: '1.0.0' });
  await client.connect(transport);
  out.server = client.getServerVersion();
  out.tools = (await client.listTools()).tools;
  out.calls = [];
  for (const call of JSON.parse(callsJson || '[]')) {
    try {
      out.calls.push({ name: call.name, result: await client.callTool({ name: call.name, arguments: call.arguments }) });
    } catch (e) {
      out.calls.push({ name: call.name, error: failure(e) });
    }
  }
  await transport.terminateSession();
  await client.close();
} catch (e) {
  out.error = failure(e);
}
console.log(JSON.stringify(out));
