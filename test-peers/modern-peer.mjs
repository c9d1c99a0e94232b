// A 2026-07-28 MCP server on the TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0 with the
// @modelcontextprotocol/node adapter) behind OAuth, for the Java tests. Start it through NodePeer
// (which preloads loopback.mjs, so it binds to 127.0.0.1 only):
//
//   PORT=<port> ISSUER=http://127.0.0.1:<demo port> node modern-peer.mjs
//
// The MCP side is the SDK's own: createMcpHandler (server/discover, the per-request _meta envelope,
// Mcp-Method / Mcp-Name / Mcp-Param-* checks, input_required, subscriptions/listen), strict: no 2025
// fallback, so a client that sends `initialize` gets the SDK's unsupported-version answer.
// The OAuth side: bearer tokens are JWTs issued by the ISSUER (the demo server's Spring Authorization
// Server), checked here against its JWKS (signature RS256, iss, aud = this resource, exp) by the
// SDK's requireBearerAuth; protected-resource metadata (RFC 9728) names ISSUER; a 401 challenge asks
// for scope mcp:tools; the tool `read_report` needs mcp:read too (403 insufficient_scope, step-up).
//
// Tools: mine_<token subject> (listed only to that caller), echo {message}, whoami, read_report (scope mcp:read), confirm_action {action}
// (input_required: a form elicitation {confirmed: boolean}), tag {tag} (tag is an x-mcp-header
// parameter), enable_extra / disable_extra (add or remove the tool `extra` and publish
// notifications/tools/list_changed to open subscriptions/listen streams).
// GET /_peer/stats answers what was received: MCP POSTs by Mcp-Method, and the tokens' subjects.
// POST /_peer/issuer {"issuer": "..."} makes the peer trust another authorization server from the next
// request on (its metadata names it, tokens of the previous one are 401): SEP-2352's migration.
import http from 'node:http';
import crypto from 'node:crypto';
import {
  McpServer, createMcpHandler, requireBearerAuth, requireScopes, OAuthError, OAuthErrorCode,
  buildOAuthProtectedResourceMetadata, getOAuthProtectedResourceMetadataUrl, inputRequired, acceptedContent,
  fromJsonSchema,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';

const port = Number(process.env.PORT ?? 0);
let issuer = (process.env.ISSUER ?? '').replace(/\/$/, '');
if (!port || !issuer) {
  console.error('PORT and ISSUER are required');
  process.exit(2);
}
const resource = new URL(process.env.RESOURCE_URL ?? `http://127.0.0.1:${port}/mcp`);
const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
const BASE_SCOPE = 'mcp:tools';
const REPORT_SCOPE = 'mcp:read';

const stats = { methods: {}, subjects: [], rejected: 0 };
let extraEnabled = false;

// --- the authorization server: metadata and keys, fetched once and on an unknown kid ---
let asMetadata;
let keys = new Map();
async function authorizationServer() {
  if (!asMetadata) {
    const response = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
    if (!response.ok) throw new Error(`AS metadata: HTTP ${response.status}`);
    asMetadata = await response.json();
  }
  return asMetadata;
}
async function key(kid) {
  if (!keys.has(kid)) {
    const response = await fetch((await authorizationServer()).jwks_uri);
    const jwks = await response.json();
    keys = new Map(jwks.keys.map((jwk) => [jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' })]));
  }
  return keys.get(kid);
}

const invalid = (message) => new OAuthError(OAuthErrorCode.InvalidToken, message);
const b64json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** An OAuthTokenVerifier for the issuer's RS256 JWTs; requireBearerAuth checks scope, resource and exp. */
const verifier = {
  async verifyAccessToken(token) {
    const parts = token.split('.');
    if (parts.length !== 3) throw invalid('not a JWT');
    let header;
    let claims;
    try {
      header = b64json(parts[0]);
      claims = b64json(parts[1]);
    } catch {
      throw invalid('malformed JWT');
    }
    if (header.alg !== 'RS256') throw invalid('unexpected alg');
    const publicKey = await key(header.kid);
    if (!publicKey) throw invalid('unknown key');
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!crypto.verify('RSA-SHA256', signed, publicKey, Buffer.from(parts[2], 'base64url'))) {
      throw invalid('bad signature');
    }
    if (claims.iss !== issuer) throw invalid('wrong issuer');
    const audience = [claims.aud].flat().filter(Boolean);
    const scopes = Array.isArray(claims.scope) ? claims.scope : String(claims.scope ?? '').split(' ').filter(Boolean);
    return {
      token,
      clientId: claims.client_id ?? claims.azp ?? '',
      scopes,
      expiresAt: claims.exp,
      // requireBearerAuth compares this with expectedResource: a token for another audience is 401.
      resource: audience.includes(resource.href) ? resource : (audience[0] ? new URL(audience[0]) : undefined),
      extra: { sub: claims.sub },
    };
  },
};
const gate = requireBearerAuth({ verifier, requiredScopes: [BASE_SCOPE], resourceMetadataUrl, expectedResource: resource });

// --- the MCP server: one instance per request, the same tools every time ---
const text = (value) => ({ content: [{ type: 'text', text: value }] });
const object = (properties, required = []) =>
  fromJsonSchema({ type: 'object', properties, required, additionalProperties: false });

// TOOLS_TTL_MS set: tools/list results say ttlMs=<it>, cacheScope=private (the SDK's default is 0 / private).
const toolsTtlMs = process.env.TOOLS_TTL_MS === undefined ? undefined : Number(process.env.TOOLS_TTL_MS);
const cacheHints = toolsTtlMs === undefined ? undefined : { 'tools/list': { ttlMs: toolsTtlMs, cacheScope: 'private' } };

function newServer({ authInfo }) {
  const server = new McpServer({ name: 'modern-peer', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true } }, ...(cacheHints && { cacheHints }) });
  const subject = String(authInfo?.extra?.sub ?? '');
  if (/^[A-Za-z0-9_-]+$/.test(subject)) {
    // A tool of the caller's own: the list depends on the token, which is why it is private.
    server.registerTool(`mine_${subject}`, { description: `Listed only to ${subject}`, inputSchema: object({}) },
      async () => text(`mine: ${subject}`));
  }
  server.registerTool('echo', {
    description: 'Echoes the message back',
    inputSchema: object({ message: { type: 'string' } }, ['message']),
  }, async ({ message }) => text(`echo: ${message}`));
  server.registerTool('whoami', {
    description: 'The subject of the access token that called',
    inputSchema: object({}),
  }, async () => text(String(authInfo?.extra?.sub ?? '')));
  server.registerTool('read_report', {
    description: `Needs scope ${REPORT_SCOPE} besides ${BASE_SCOPE}`,
    inputSchema: object({}),
    scopeChallenge: requireScopes(BASE_SCOPE, REPORT_SCOPE),
  }, async () => text(`report for ${authInfo?.extra?.sub ?? '?'}: scopes ${authInfo?.scopes?.join(' ')}`));
  server.registerTool('confirm_action', {
    description: 'Asks the user to confirm, through input_required (form elicitation)',
    inputSchema: object({ action: { type: 'string' } }, ['action']),
  }, async ({ action }, ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
    if (answer === undefined) {
      return inputRequired({
        inputRequests: {
          confirm: inputRequired.elicit({
            message: `Really ${action}?`,
            requestedSchema: { type: 'object', properties: { confirmed: { type: 'boolean' } }, required: ['confirmed'] },
          }),
        },
        requestState: `pending:${action}`,
      });
    }
    return text(answer.confirmed === true ? `${action}: confirmed` : `${action}: declined`);
  });
  server.registerTool('tag', {
    description: 'Echoes a tag that travels in the Mcp-Param-Tag header too',
    inputSchema: object({ tag: { type: 'string', 'x-mcp-header': 'Tag' } }, ['tag']),
  }, async ({ tag }) => text(`tag: ${tag}`));
  server.registerTool('enable_extra', { description: 'Adds the tool extra', inputSchema: object({}) }, async () => {
    extraEnabled = true;
    handler.notify.toolsChanged();
    return text('extra enabled');
  });
  server.registerTool('disable_extra', { description: 'Removes the tool extra', inputSchema: object({}) }, async () => {
    extraEnabled = false;
    handler.notify.toolsChanged();
    return text('extra disabled');
  });
  if (extraEnabled) {
    server.registerTool('extra', { description: 'Exists only while enabled', inputSchema: object({}) },
      async () => text('extra called'));
  }
  return server;
}

const handler = createMcpHandler(newServer, { legacy: 'reject', onerror: (e) => console.error('[mcp]', e.message) });
const mcp = toNodeHandler({
  fetch: async (request) => {
    const auth = await gate(request);
    if (auth instanceof Response) {
      stats.rejected++;
      return auth;
    }
    stats.subjects.push(auth.extra?.sub ?? '');
    const method = request.headers.get('mcp-method') ?? request.method;
    stats.methods[method] = (stats.methods[method] ?? 0) + 1;
    return handler.fetch(request, { authInfo: auth });
  },
});

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

http.createServer(async (req, res) => {
  const path = new URL(req.url, resource).pathname;
  try {
    if (req.method === 'GET' && path === new URL(resourceMetadataUrl).pathname) {
      const metadata = buildOAuthProtectedResourceMetadata({
        oauthMetadata: await authorizationServer(), resourceServerUrl: resource, scopesSupported: [BASE_SCOPE],
        resourceName: 'modern-peer', dangerouslyAllowInsecureIssuerUrl: true,
      });
      return json(res, 200, metadata);
    }
    if (req.method === 'GET' && path === '/_peer/stats') return json(res, 200, stats);
    if (req.method === 'POST' && path === '/_peer/issuer') {
      let body = '';
      for await (const chunk of req) body += chunk;
      issuer = String(JSON.parse(body).issuer).replace(/\/$/, '');
      asMetadata = undefined;
      keys = new Map();
      return json(res, 200, { issuer });
    }
    if (path === resource.pathname) return mcp(req, res);
    return json(res, 404, { error: 'not_found' });
  } catch (error) {
    console.error(error);
    if (!res.headersSent) json(res, 500, { error: 'server_error', error_description: String(error.message) });
  }
}).listen(port, () => console.log(`modern-peer on ${resource.href}, issuer ${issuer}`));
