// A real OpenID Connect provider on loopback, for the browser tests' sign-in: panva's oidc-provider
// (an OpenID-certified implementation) with its development login form. Started by tests/signin.py.
//
//   node provider.mjs CONFIG.json
//
// CONFIG: {"client": {"client_id", "client_secret", "redirect_uris": [...], "post_logout_redirect_uris":
//          [...]}, "accounts": {"<login>": {"name", "email", "email_verified"}}}
// It listens on a loopback port the system gives it and prints "ready <issuer>". Signing in with a
// login from "accounts" (any password) gives that account's claims; any other login is sent back
// to the login form. The app under test binds port 0 too, so a registered loopback address
// (http://127.0.0.1/...) is accepted on any port, as RFC 8252 section 7.3 allows native apps.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// The issuer names the port, so bind first and build the provider on the port the system gave.
const server = createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ ...config.client, grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Streamlit reads who signed in from the ID token alone, as most providers send it there.
  conformIdTokenClaims: false,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  // The dashboard is the provider's own first-party app: signing in is consent enough.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

function anyLoopbackPort(value, registered) {
  const asked = URL.parse(value);
  if (!asked || asked.protocol !== 'http:' || asked.hostname !== '127.0.0.1') return false;
  asked.port = '';
  return registered.includes(asked.href);
}
const { redirectUriAllowed, postLogoutRedirectUriAllowed } = provider.Client.prototype;
provider.Client.prototype.redirectUriAllowed = function allowed(value) {
  return redirectUriAllowed.call(this, value) || anyLoopbackPort(value, this.redirectUris);
};
provider.Client.prototype.postLogoutRedirectUriAllowed = function allowed(value) {
  return postLogoutRedirectUriAllowed.call(this, value) || anyLoopbackPort(value, this.postLogoutRedirectUris);
};

server.on('request', provider.callback());
console.log(`ready ${issuer}`);
