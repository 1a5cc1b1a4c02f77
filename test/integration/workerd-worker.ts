// A Worker for the workerd tests (bundled with esbuild, run by miniflare). Each request builds a
// fresh createAuth, as a cold isolate would, so that sharing can only come from KV or the broker.

import {
  type DurableObjectNamespaceLike,
  durableObjectStore,
  durableObjectTokenSource,
  GenesysStore,
  GenesysTokenBroker,
} from "../../src/durable-object.ts";
import { createAuth, createClient, createCodeFlow, fromEnv, getOrganization } from "../../src/index.ts";
import { cloudflareKvStore, type KVNamespaceLike } from "../../src/store/cloudflare-kv.ts";

export { GenesysStore, GenesysTokenBroker };

interface Env extends Record<string, unknown> {
  KV: KVNamespaceLike;
  BROKER: DurableObjectNamespaceLike;
  SESSIONS: DurableObjectNamespaceLike;
  CODE_CLIENT_ID: string;
  CODE_CLIENT_SECRET: string;
  REDIRECT_URI: string;
}

/** A user's session in the Durable Object store, from a cold isolate (a fresh flow per request). */
async function session(url: URL, env: Env): Promise<Response> {
  const sessions = durableObjectStore(env.SESSIONS);
  const offset = Number(url.searchParams.get("offset") ?? 0);
  const flow = createCodeFlow({
    ...fromEnv(env),
    clientId: env.CODE_CLIENT_ID,
    clientSecret: env.CODE_CLIENT_SECRET,
    redirectUri: env.REDIRECT_URI,
    store: sessions,
    lock: sessions,
    now: () => Date.now() + offset,
  });
  if (url.pathname === "/signin/url") return Response.json(await flow.authorizationUrl());
  if (url.pathname === "/signin/exchange") {
    const signedIn = await flow.exchange(url.searchParams.get("callback") ?? "", {
      state: url.searchParams.get("state") ?? "",
    });
    return Response.json({ sessionId: signedIn.sessionId });
  }
  const auth = flow.session(url.searchParams.get("id") ?? "");
  const me = await createClient({ auth }).get("api/v2/users/me").json<{ name: string }>();
  return Response.json({ name: me.name, token: (await auth.getToken()).expiresAt });
}

export default {
  async fetch(request: Request, env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/signin/")) {
      try {
        return await session(url, env);
      } catch (error) {
        return Response.json({ error: String(error) }, { status: 500 });
      }
    }
    const path = url.pathname.slice(1);
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
