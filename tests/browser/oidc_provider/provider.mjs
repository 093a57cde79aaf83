// A third-party, OpenID Certified provider for the browser tests: the npm package
// oidc-provider, with one test client (Kontaktpunkt's citizens' client) and accounts that
// carry the claims of the Swedish OIDC profile for eID. Started by tests/browser/test_sign_in.py
// with ISSUER_PORT, APP_URL, CLIENT_ID and CLIENT_SECRET in the environment.
import Provider from "oidc-provider";

const PERSONAL_NUMBER = "https://id.oidc.se/claim/personalIdentityNumber";
const port = Number(process.env.ISSUER_PORT);
const app = process.env.APP_URL;

// The account id is what one types as "login" on the provider's own (development) login page.
const accounts = {
  "198503122387": { name: "Anna Lindqvist", given_name: "Anna", family_name: "Lindqvist" },
  "194402253274": { name: "Karin Berg", given_name: "Karin", family_name: "Berg" },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [`${app}/login/callback`],
      post_logout_redirect_uris: [`${app}/signed-out`],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  scopes: ["openid", "profile", "https://id.oidc.se/scope/naturalPersonNumber"],
  claims: {
    openid: ["sub"],
    profile: ["name", "given_name", "family_name"],
    "https://id.oidc.se/scope/naturalPersonNumber": [PERSONAL_NUMBER],
  },
  // The claims the scopes release go in the ID token, as eID brokers under the profile do.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    const person = accounts[id];
    if (!person) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, [PERSONAL_NUMBER]: id, ...person }) };
  },
});

provider.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
