// The packed package, loaded with import from a fresh project: every entry point, and a token.
import assert from "node:assert/strict";
import { createAuth, createClient, GenesysAuthError, getOrganization } from "genesys-cloud-auth";
import { cloudflareKvStore } from "genesys-cloud-auth/cloudflare-kv";
import { denoKvLock, denoKvStore } from "genesys-cloud-auth/deno-kv";
import { durableObjectTokenSource, GenesysTokenBroker } from "genesys-cloud-auth/durable-object";
import { redisLock, redisStore } from "genesys-cloud-auth/redis";
import { createMockGenesys } from "genesys-cloud-auth/testing";

for (const fn of [
  cloudflareKvStore,
  denoKvStore,
  denoKvLock,
  durableObjectTokenSource,
  GenesysTokenBroker,
  redisStore,
  redisLock,
]) {
  assert.equal(typeof fn, "function");
}
const mock = createMockGenesys();
const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
const api = createClient({ auth, fetch: mock.fetch });
assert.equal((await getOrganization(api)).name, "Mock Org");
// The broker, misconfigured (no GENESYS_* in its env), answers a typed configuration error.
const broker = new GenesysTokenBroker({}, {});
const answer = await broker.fetch(new Request("https://broker/token?key=x", { method: "POST" }));
assert.equal((await answer.json()).code, "invalid_config");
assert.equal(typeof GenesysAuthError, "function");
console.log("import: ok (6 entry points)");
