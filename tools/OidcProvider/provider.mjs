// A certified OpenID provider (the npm package oidc-provider) on loopback, for development and tests only:
// ./run.sh signs people in through it, the OpenID Connect tests run the services against it.
//
//   node provider.mjs <config.json>
//
// config.json: { "issuer": "http://127.0.0.1:5090", "audience": "patientjourney",
//   "users":   [{ "username", "password", "name", "roles": ["clinician"] }],
//   "clients": [{ "client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris", "grant_types", "roles" }],
//   "accessTokenSeconds": 3600, "allowKeyRotation": false }
//
// Access tokens are RS256 JWTs for the resource `urn:patientjourney` (audience `patientjourney`) carrying the user's
// (or, for client credentials, the client's) roles in a `role` claim, as the services expect. With allowKeyRotation,
// POST /testing/rotate-keys replaces the signing key (same issuer, new kid), as a provider's key rollover would.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const RESOURCE = 'urn:patientjourney';
const config = JSON.parse(fs.readFileSync(process.argv[2] ?? fail('usage: node provider.mjs <config.json>'), 'utf8'));
const issuer = new URL(config.issuer);
// Loopback only: this provider has demo passwords and a test-only key rotation endpoint.
if (!['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)) fail(`the issuer must be on loopback, not ${issuer.hostname}`);
const audience = config.audience ?? 'patientjourney';
const users = new Map((config.users ?? []).map((u) => [u.username, u]));
const clientRoles = new Map((config.clients ?? []).map((c) => [c.client_id, c.roles ?? []]));
const cookieKeys = [crypto.randomBytes(32).toString('base64url')];

function fail(message) {
  console.error(message);
  process.exit(2);
}

function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
}

function createProvider(key) {
  const provider = new Provider(config.issuer, {
    clients: (config.clients ?? []).map(({ roles, ...client }) => ({
      response_types: client.grant_types?.includes('authorization_code') === false ? [] : ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    jwks: { keys: [key] },
    cookies: { keys: cookieKeys },
    scopes: ['openid', 'profile', 'roles', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], roles: ['role'] },
    // Claims of the requested scopes go into the ID token too: the dashboard reads the roles from it.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: user.name ?? sub, preferred_username: sub, role: user.roles ?? [] }),
      };
    },
    features: {
      devInteractions: { enabled: false }, // it would let anyone in without a password; ours checks one
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (resourceIndicator !== RESOURCE) throw new Provider.errors.InvalidTarget();
          return { scope: 'api', audience, accessTokenFormat: 'jwt', accessTokenTTL: config.accessTokenSeconds ?? 3600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // The roles the services authorize with, in the access token.
    extraTokenClaims: async (_ctx, token) => {
      const roles = token.accountId ? users.get(token.accountId)?.roles : clientRoles.get(token.clientId);
      return { role: roles ?? [] };
    },
    // First-party clients only: consent is implied, every requested scope and the API resource are granted.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      grant.addOIDCClaims(['role']);
      grant.addResourceScope(RESOURCE, 'api');
      await grant.save();
      return grant;
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    ttl: { AccessToken: config.accessTokenSeconds ?? 3600, AuthorizationCode: 60, IdToken: config.accessTokenSeconds ?? 3600, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, ClientCredentials: config.accessTokenSeconds ?? 3600 },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Sign-in error</h1><p role="alert">${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
    },
  });
  provider.proxy = false;
  return { provider, key, handle: provider.callback() };
}

let current = createProvider(signingKey());

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:28rem}label,input,button{display:block;margin:.4rem 0}.error{color:#b00020}</style></head>
<body>${body}</body></html>`;

function loginPage(uid, error) {
  return page('Sign in · PatientJourney development sign-in', `
<h1>PatientJourney sign-in</h1>
<p>Development sign-in (a local OpenID provider). ./run.sh printed the demo users and their passwords.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
  <label for="username">User name</label><input id="username" name="username" required autofocus>
  <label for="password">Password</label><input id="password" name="password" type="password" required>
  <button type="submit">Sign in</button>
</form>`);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function passwordMatches(user, password) {
  const expected = crypto.createHash('sha256').update(user?.password ?? crypto.randomUUID()).digest();
  const given = crypto.createHash('sha256').update(password ?? '').digest();
  return crypto.timingSafeEqual(expected, given) && user !== undefined;
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  res.end(body);
}

async function interaction(req, res, url) {
  const { provider } = current;
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Sign-in error', '<p role="alert">This sign-in has expired; start again.</p>'));
  if (req.method === 'GET') {
    if (details.prompt.name === 'login') return send(res, 200, loginPage(uid));
    // Consent is implied for these first-party clients (loadExistingGrant); nothing else to ask.
    return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const user = users.get(username);
    if (!passwordMatches(user, form.get('password'))) {
      // Which user tried, never the password.
      console.log(`sign-in refused for ${JSON.stringify(username.slice(0, 64))}`);
      return send(res, 200, loginPage(uid, 'Unknown user name or wrong password.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
  }
  return send(res, 405, page('Not allowed', '<p>Method not allowed.</p>'));
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, config.issuer);
    if (url.pathname.startsWith('/interaction/')) return await interaction(req, res, url);
    if (url.pathname === '/testing/rotate-keys' && config.allowKeyRotation) {
      if (req.method !== 'POST') return send(res, 405, '');
      // A new provider with a new key and the same issuer; sessions and grants live in the shared memory adapter.
      current = createProvider(signingKey());
      console.log(`signing key rotated: kid ${current.key.kid}`);
      return send(res, 200, JSON.stringify({ kid: current.key.kid }), 'application/json');
    }
    return current.handle(req, res);
  } catch (error) {
    console.error(`request failed: ${error?.name}: ${error?.message}`);
    if (!res.headersSent) send(res, 500, page('Error', '<p>Something went wrong.</p>'));
  }
});

const port = Number(issuer.port || 80);
server.listen(port, issuer.hostname === 'localhost' ? '127.0.0.1' : issuer.hostname.replace(/^\[|\]$/g, ''), () => {
  console.log(`OpenID provider listening: issuer ${config.issuer}, signing key kid ${current.key.kid}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
