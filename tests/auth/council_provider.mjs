// A real OpenID Connect provider for the tests: the npm package oidc-provider (a certified implementation),
// configured by the test that starts it (tests/auth/council_provider.py) with its own signing key, one client
// (the portal) and the council's staff as users. Usage: node council_provider.mjs CONFIG.json
//
// What the test may change, through POST /__test/next-id-token (loopback only, one use): the next ID token the
// token endpoint returns is signed again with some claims changed, or with a key the provider does not publish.
// That is how the tests give the portal a token with the wrong audience, an expired one, a changed nonce or a
// forged signature: everything else the portal meets is the provider's own behaviour.

import http from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://${config.host}:${config.port}`;
const users = config.users; // login -> { password, claims: {...}, amr: [...] }
let nextIdToken = null; // { claims: {...}, other_key: bool }

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

const provider = new Provider(issuer, {
  clients: [config.client],
  jwks: { keys: [config.signing_key] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true, methods: ['S256'] },
  // Scope claims in the ID token itself, as Microsoft Entra ID does (the portal reads no userinfo endpoint).
  conformIdTokenClaims: false,
  claims: {
    // amr and acr in every ID token, as Entra's v1.0 tokens carry amr: the portal's evidence of MFA.
    openid: ['sub', 'amr', 'acr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'oid', 'roles', 'groups', 'preferred_username'],
  },
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The provider's "Do you want to sign out?" page: a plain form the tests submit.
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the council', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out of the council', '<p>You have signed out.</p>'); },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The council's own staff accept the portal once for all of them (an admin consent in Entra): no consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user.claims }; } };
  },
  renderError: async (ctx, out) => { ctx.type = 'html'; ctx.body = page('Sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`); },
});

// Sign the next ID token again with the claims the test chose (or with a key nobody published).
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !nextIdToken || !ctx.body?.id_token) return;
  const change = nextIdToken;
  nextIdToken = null;
  const header = decodeProtectedHeader(ctx.body.id_token);
  const claims = { ...decodeJwt(ctx.body.id_token), ...change.claims };
  const key = await importJWK(change.other_key ? config.other_key : config.signing_key, header.alg);
  ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader({ alg: header.alg, kid: header.kid, typ: 'JWT' }).sign(key) };
});

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The council's sign-in page: a username and password checked against the test's users.
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Sign in to the council', `<form method="post" action="/interaction/${escape(uid)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`));
    return;
  }
  const form = await readForm(req);
  const login = form.get('username');
  const user = users[login];
  if (!user || user.password !== form.get('password')) {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Sign in to the council', '<p>Wrong username or password.</p>'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: login, amr: user.amr || ['pwd'] } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([\w-]+)$/);
    if (match) return await interaction(req, res, match[1]);
    if (url.pathname === '/__test/next-id-token' && req.method === 'POST') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      nextIdToken = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.statusCode = 204;
      return res.end();
    }
    return callback(req, res);
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(config.port, config.host, () => { process.stdout.write(`listening ${issuer}\n`); });
