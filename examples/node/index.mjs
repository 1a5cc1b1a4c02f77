// Node: credentials from the environment (GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION).
// Run: node examples/node/index.mjs
import { createAuth, createClient, fromEnv, getOrganization } from "genesys-cloud-auth";

const auth = createAuth(fromEnv());
const api = createClient({ auth });
const org = await getOrganization(api);
const token = await auth.getToken();
console.log(
  `node: organization "${org.name}" in ${auth.region}; token valid until ${new Date(token.expiresAt).toISOString()}`,
);
