/**
 * `genesys-cloud-auth/durable-object`: a Cloudflare Durable Object that owns the token refresh of one
 * cache key, so that every isolate of a Worker — in every location — shares one token fetched once.
 *
 * - {@link GenesysTokenBroker}: the Durable Object class. It reads the OAuth client from its `env`
 *   (the `GENESYS_*` variables, see `fromEnv`), keeps the current token in memory and runs at most one
 *   token request at a time (an in-memory in-flight promise: input gates do not cover outgoing fetches).
 * - {@link durableObjectTokenSource}: the `store` a Worker gives `createAuth`; on a miss it asks the
 *   broker, writing through to Workers KV when a namespace is given (and reading KV if the broker is
 *   unreachable).
 *
 * Entries travel encrypted (the same envelope as any shared store), so the Worker and the broker must
 * have the same client secret, or the same `encryption.key`.
 *
 * @module
 */
import { type CreateAuthOptions, type ResolvedConfig, resolveConfig } from "../config.ts";
import { fromEnv } from "../env.ts";
import { GenesysAuthError } from "../errors.ts";
import { redactor } from "../redact.ts";
import { refreshAtOf, type TokenEntry } from "../token/entry.ts";
import { requestToken } from "../token/request.ts";
import { type EntryCodec, entryCodec } from "../token/shared-cache.ts";
import { ownProperties } from "../validation.ts";
import { cloudflareKvStore, type KVNamespaceLike } from "./cloudflare-kv.ts";
import { BROKER, type TokenStore } from "./types.ts";

/** The parts of a `DurableObjectNamespace` used here. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

const BROKER_URL = "https://genesys-token-broker/token";

/**
 * The Durable Object class: export it from your Worker and bind it (`[[durable_objects.bindings]]`,
 * `class_name = "GenesysTokenBroker"`). Override {@link GenesysTokenBroker.options} to configure it
 * from something other than the `GENESYS_*` variables.
 */
export class GenesysTokenBroker {
  readonly #env: Record<string, unknown>;
  #setup: Promise<{ config: ResolvedConfig; key: string; codec: EntryCodec }> | undefined;
  #current: { entry: TokenEntry; envelope: string; refreshAt: number } | undefined;
  #inflight: Promise<string> | undefined;

  constructor(_state: unknown, env: Record<string, unknown>) {
    this.#env = env;
  }

  /** The createAuth options of the broker; default `fromEnv(env)`. */
  options(env: Record<string, unknown>): CreateAuthOptions {
    return fromEnv(env);
  }

  #prepare() {
    this.#setup ??= (async () => {
      const config = resolveConfig(this.options(this.#env));
      const codec = entryCodec(config, true);
      return { config, key: await codec.key(), codec };
    })();
    return this.#setup;
  }

  async #token(): Promise<string> {
    const { config, codec } = await this.#prepare();
    const current = this.#current;
    if (current !== undefined && config.now() < current.refreshAt) return current.envelope;
    this.#inflight ??= (async () => {
      try {
        const entry = await requestToken(
          config,
          redactor(() => [config.clientSecret]),
        );
        const envelope = await codec.encode(entry);
        this.#current = {
          entry,
          envelope,
          refreshAt: refreshAtOf(entry, config.refreshMarginSeconds * 1000),
        };
        return envelope;
      } finally {
        this.#inflight = undefined;
      }
    })();
    return this.#inflight;
  }

  /** `POST /token {key}` answers the current token's envelope; `DELETE /token` drops it. */
  async fetch(request: Request): Promise<Response> {
    try {
      const { key } = await this.#prepare();
      const asked = new URL(request.url).searchParams.get("key");
      if (asked !== key) {
        return Response.json(
          {
            code: "invalid_config",
            message: "The broker's OAuth client configuration differs from the Worker's (cache keys differ).",
          },
          { status: 409 },
        );
      }
      if (request.method === "DELETE") {
        this.#current = undefined;
        return new Response(null, { status: 204 });
      }
      return new Response(await this.#token(), { headers: { "content-type": "text/plain" } });
    } catch (error) {
      const e =
        error instanceof GenesysAuthError ? error : new GenesysAuthError("server_error", String(error));
      return Response.json(e.toJSON(), { status: 502 });
    }
  }
}

/** Options of {@link durableObjectTokenSource}. */
export interface DurableObjectSourceOptions {
  /** A KV namespace to write tokens through to, and to read from when the broker cannot be reached. */
  kv?: KVNamespaceLike;
}

/**
 * The `store` for `createAuth` in a Worker: asks the {@link GenesysTokenBroker} (one per cache key) for
 * the token, so one request refreshes it for every isolate.
 */
export function durableObjectTokenSource(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectSourceOptions = {},
): TokenStore {
  const { kv: namespaceKv } = ownProperties(options);
  const kv = namespaceKv ? cloudflareKvStore(namespaceKv) : undefined;
  const broker = (key: string) => namespace.get(namespace.idFromName(key) as never);
  const url = (key: string) => `${BROKER_URL}?key=${encodeURIComponent(key)}`;
  const source: TokenStore & { [BROKER]: true } = {
    [BROKER]: true,
    async get(key) {
      let response: Response;
      try {
        response = await broker(key).fetch(url(key), { method: "POST" });
      } catch (error) {
        const fallback = await kv?.get(key);
        if (fallback) return fallback;
        throw error;
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        const fallback = await kv?.get(key);
        if (fallback) return fallback;
        throw new Error(`Token broker answered ${response.status}: ${body.message ?? "no details"}`);
      }
      const envelope = await response.text();
      await kv?.set(key, envelope, { ttlMs: 24 * 3600 * 1000 }).catch(() => undefined);
      return envelope;
    },
    async set(key, value, ttl) {
      await kv?.set(key, value, ttl);
    },
    async delete(key) {
      await Promise.all([broker(key).fetch(url(key), { method: "DELETE" }), kv?.delete?.(key)]);
    },
  };
  return source;
}
