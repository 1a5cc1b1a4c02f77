// The packed package, loaded with import from a fresh project.
import assert from "node:assert/strict";
import { createAuth, createClient, getOrganization } from "genesys-cloud-auth";
import { createMockGenesys } from "genesys-cloud-auth/testing";

const mock = createMockGenesys();
const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
const api = createClient({ auth, fetch: mock.fetch });
assert.equal((await getOrganization(api)).name, "Mock Org");
console.log("import: ok");
