// Better Auth (better-auth + @better-auth/oauth-provider, default keys: the JWT plugin signs ID
// tokens with EdDSA/Ed25519) as the authorization server in front of a small MCP server of the
// TypeScript SDK, both on one loopback port (PORT, bound to 127.0.0.1 by ../loopback.mjs):
//   /api/auth/*                               Better Auth (issuer http://localhost:PORT/api/auth)
//   /.well-known/oauth-authorization-server/api/auth   its RFC 8414 metadata, where RFC 8414 puts it
//   /.well-known/oauth-protected-resource[/mcp]        RFC 9728 metadata of the MCP server
//   /mcp                                      the MCP server (tools "whoami" and "echo"); it accepts
//                                             Better Auth's JWT access tokens for this resource,
//                                             verified against the JWKS with the resource client
// In-memory database; users sign up through /api/auth/sign-up/email. ACCESS_TOKEN_TTL (seconds)
// makes access tokens expire early so that a test can watch a refresh.
import http from 'node:http';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import { oauthProvider, oauthProviderAuthServerMetadata } from '@better-auth/oauth-provider';
import { oauthProviderResourceClient } from '@better-auth/oauth-provider/resource-client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://localhost:${port}`;
const issuer = `${origin}/api/auth`;
const resource = `${origin}/mcp`;
const prm = `${origin}/.well-known/oauth-protected-resource/mcp`;

const tables = ['user', 'session', 'account', 'verification', 'jwks', 'rateLimit', 'oauthClient', 'oauthResource',
  'oauthClientResource', 'oauthAccessToken', 'oauthRefreshToken', 'oauthConsent', 'oauthClientAssertion'];
const db = Object.fromEntries(tables.map((table) => [table, []]));

const auth = betterAuth({
  baseURL: origin,
  secret: 'better-auth-test-peer-secret-0123456789abcdef',
  database: memoryAdapter(db),
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  plugins: [
    jwt(),
    oauthProvider({
      loginPage: '/sign-in',
      consentPage: '/consent',
      allowDynamicClientRegistration: true,
      allowUnauthenticatedClientRegistration: true,
      resources: [resource],
      clientRegistrationDefaultResources: [resource],
      accessTokenExpiresIn: Number(process.env.ACCESS_TOKEN_TTL ?? 3600),
    }),
  ],
});

const authHandler = toNodeHandler(auth);
const resourceClient = oauthProviderResourceClient(auth).getActions();

function mcpServer(claims) {
  const server = new McpServer({ name: 'better-auth-protected', version: '1.0.0' });
  server.registerTool('whoami', { description: 'The subject of the access token' },
    async () => ({ content: [{ type: 'text', text: String(claims.sub) }] }));
  server.registerTool('echo', { description: 'Echoes its message', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: `echo: ${message}` }] }));
  return server;
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

async function handleMcp(req, res) {
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
  let claims;
  try {
    claims = await resourceClient.verifyBearerToken(token, {
      verifyOptions: { audience: resource, issuer },
      jwksUrl: `${issuer}/jwks`,
    });
  } catch (error) {
    console.log(`[mcp] refused a request: ${error?.message ?? error}`);
    return json(res, 401, { error: 'invalid_token' },
      { 'WWW-Authenticate': `Bearer resource_metadata="${prm}"` });
  }
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = mcpServer(claims);
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.method === 'POST' ? await readJson(req) : undefined);
}

const protectedResource = {
  resource,
  authorization_servers: [issuer],
  bearer_methods_supported: ['header'],
};

const authServerMetadata = oauthProviderAuthServerMetadata(auth);

http.createServer(async (req, res) => {
  try {
    const path = new URL(req.url, origin).pathname;
    console.log(`${req.method} ${path}`);
    if (path.startsWith('/api/auth/')) {
      return authHandler(req, res);
    }
    if (path === '/.well-known/oauth-protected-resource/mcp' || path === '/.well-known/oauth-protected-resource') {
      return json(res, 200, protectedResource);
    }
    if (path === '/.well-known/oauth-authorization-server/api/auth') {
      return authServerMetadata(new Request(new URL(req.url, origin))).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    }
    if (path === '/mcp') {
      return await handleMcp(req, res);
    }
    json(res, 404, { error: 'not_found', path });
  } catch (error) {
    console.error(error);
    if (!res.headersSent) json(res, 500, { error: 'server_error' });
  }
}).listen(port, () => console.log(`better-auth peer on ${origin} (issuer ${issuer})`));
