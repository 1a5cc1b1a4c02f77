// The packed package, loaded with require() from a fresh project.
const assert = require("node:assert/strict");
const {
  createAuth,
  createClient,
  getOrganization,
  GenesysAuthError,
  HTTPError,
} = require("genesys-cloud-auth");
const { createMockGenesys } = require("genesys-cloud-auth/testing");

(async () => {
  const mock = createMockGenesys();
  const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
  const api = createClient({ auth, fetch: mock.fetch });
  assert.equal((await getOrganization(api)).name, "Mock Org");
  assert.equal(typeof GenesysAuthError, "function");
  assert.equal(typeof HTTPError, "function");
  console.log("require(): ok");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
