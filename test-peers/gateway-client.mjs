// An MCP client from the official TypeScript SDK for the Java gateway tests:
//   node gateway-client.mjs <url> [<user> <password>] [<calls as JSON: [{"name", "arguments"}]>]
// Connects over Streamable HTTP (with HTTP Basic when a user is given; the user "bearer" sends the
// password as `Authorization: Bearer <password>`), lists the tools, makes the calls, and prints one
// JSON line: {server, tools, calls} or {error: {code, message}}. A call may instead be
// {"list": "resources" | "resourceTemplates" | "prompts"}, {"read": "<uri>"} or
// {"prompt": "<name>", "arguments": {...}}; its answer is the call's result the same way.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, user, password, callsJson] = process.argv.slice(2);
const headers = user === 'bearer'
  ? { Authorization: `Bearer ${password}` }
  : user
    ? { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') }
    : {};
const lists = {
  resources: (client) => client.listResources(),
  resourceTemplates: (client) => client.listResourceTemplates(),
  prompts: (client) => client.listPrompts(),
};
const run = (client, call) => {
  if (call.list) return lists[call.list](client);
  if (call.read) return client.readResource({ uri: call.read });
  if (call.prompt) return client.getPrompt({ name: call.prompt, arguments: call.arguments });
  return client.callTool({ name: call.name, arguments: call.arguments });
};
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
      out.calls.push({ name: call.name, result: await run(client, call) });
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
