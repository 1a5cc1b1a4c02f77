// The packed package, loaded with require() from a fresh project: every entry point, and a token.
const assert = require("node:assert/strict");
const {
  createAuth,
  createClient,
  getOrganization,
  GenesysAuthError,
  HTTPError,
} = require("genesys-cloud-auth");
const { createMockGenesys } = require("genesys-cloud-auth/testing");
const entries = {
  "genesys-cloud-auth/deno-kv": ["denoKvStore", "denoKvLock"],
  "genesys-cloud-auth/cloudflare-kv": ["cloudflareKvStore"],
  "genesys-cloud-auth/redis": ["redisStore", "redisLock"],
  "genesys-cloud-auth/durable-object": ["GenesysTokenBroker", "durableObjectTokenSource"],
};

(async () => {
  for (const [entry, names] of Object.entries(entries)) {
    const module = require(entry);
    for (const name of names) assert.equal(typeof module[name], "function", `${entry} exports ${name}`);
  }
  const mock = createMockGenesys();
  const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
  const api = createClient({ auth, fetch: mock.fetch });
  assert.equal((await getOrganization(api)).name, "Mock Org");
  assert.equal(typeof GenesysAuthError, "function");
  assert.equal(typeof HTTPError, "function");
  console.log(`require(): ok (${Object.keys(entries).length + 2} entry points)`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
