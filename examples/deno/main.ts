// Deno: `deno run --allow-env --allow-net examples/deno/main.ts`
// (from JSR or npm: import { … } from "npm:genesys-cloud-auth").
import { createAuth, createClient, fromEnv, getOrganization } from "genesys-cloud-auth";

const auth = createAuth(fromEnv(Deno.env.toObject()));
const api = createClient({ auth });
const org = await getOrganization(api);
console.log(`deno: organization "${org.name}" in ${auth.region}`);
