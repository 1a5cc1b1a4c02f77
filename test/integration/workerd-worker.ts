// A Worker for the workerd tests (bundled with esbuild, run by miniflare). Each request builds a
// fresh createAuth, as a cold isolate would, so that sharing can only come from KV or the broker.

import {
  type DurableObjectNamespaceLike,
  durableObjectTokenSource,
  GenesysTokenBroker,
} from "../../src/durable-object.ts";
import { createAuth, createClient, fromEnv, getOrganization } from "../../src/index.ts";
import { cloudflareKvStore, type KVNamespaceLike } from "../../src/store/cloudflare-kv.ts";

export { GenesysTokenBroker };

interface Env extends Record<string, unknown> {
  KV: KVNamespaceLike;
  BROKER: DurableObjectNamespaceLike;
}

export default {
  async fetch(request: Request, env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const path = new URL(request.url).pathname.slice(1);
    const mode = path === "do-invalidate" ? "do" : path;
    const store =
      mode === "kv"
        ? cloudflareKvStore(env.KV)
        : mode === "do"
          ? durableObjectTokenSource(env.BROKER, { kv: env.KV })
          : undefined;
    const events: string[] = [];
    const auth = createAuth({
      ...fromEnv(env),
      ...(store ? { store } : {}),
      waitUntil: (p) => ctx.waitUntil(p),
      onEvent: (e) =>
        events.push(e.type === "store_error" ? `store_error:${e.operation}:${String(e.error)}` : e.type),
    });
    if (path === "do-invalidate") {
      await auth.invalidate(); // drops the broker's token and the KV copy
      return Response.json({ invalidated: true, events });
    }
    try {
      const org = await getOrganization(createClient({ auth }));
      return Response.json({ org: org.name, events });
    } catch (error) {
      return Response.json({ error: String(error), events }, { status: 500 });
    }
  },
};
