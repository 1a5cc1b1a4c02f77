// An edge function: a plain `export default { fetch }` module, as Vercel and Netlify edge runtimes
// (and Workers) accept. Reads its configuration from the environment the platform provides.
import { createAuth, createClient, fromEnv, getOrganization } from "genesys-cloud-auth";

let api: ReturnType<typeof createClient> | undefined;

export default {
  async fetch(_request: Request): Promise<Response> {
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    api ??= createClient({ auth: createAuth(fromEnv(env)) });
    const org = await getOrganization(api);
    return Response.json({ organization: org.name });
  },
};
