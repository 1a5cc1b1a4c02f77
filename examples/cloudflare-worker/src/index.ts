// A Cloudflare Worker: tokens shared between isolates through Workers KV (binding TOKENS).
// Credentials are secrets: `wrangler secret put GENESYS_CLIENT_ID` and `… GENESYS_CLIENT_SECRET`.
import { createAuth, createClient, fromEnv, getOrganization } from "genesys-cloud-auth";
import { cloudflareKvStore, type KVNamespaceLike } from "genesys-cloud-auth/cloudflare-kv";

interface Env extends Record<string, unknown> {
  TOKENS: KVNamespaceLike;
}

let api: ReturnType<typeof createClient> | undefined; // one per isolate: tokens stay cached between requests
let currentCtx: { waitUntil(promise: Promise<unknown>): void } | undefined;

export default {
  async fetch(
    _request: Request,
    env: Env,
    ctx: { waitUntil(promise: Promise<unknown>): void },
  ): Promise<Response> {
    currentCtx = ctx;
    api ??= createClient({
      auth: createAuth({
        ...fromEnv(env),
        store: cloudflareKvStore(env.TOKENS),
        waitUntil: (promise) => currentCtx?.waitUntil(promise),
      }),
    });
    const org = await getOrganization(api);
    return Response.json({ organization: org.name });
  },
};
