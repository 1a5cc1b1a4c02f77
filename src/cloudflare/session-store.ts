/**
 * A strongly consistent {@link TokenStore} and {@link TokenLock} on Durable Objects, for what Workers
 * KV cannot hold safely: signed-in users' sessions, whose refresh tokens may be single-use. KV is
 * eventually consistent — an instance could read a refresh token another already spent, and sign the
 * user out — so sessions live in a Durable Object per key ({@link GenesysStore}), whose storage is
 * transactional and read-your-writes everywhere, and the refresh lock is a lease kept there too.
 *
 * @module
 */
import type { HeldLock, TokenLock, TokenStore } from "../store/types.ts";
import type { DurableObjectNamespaceLike } from "./token-source.ts";

/** The part of a Durable Object's `state` this class uses. */
export interface DurableObjectStateLike {
  storage: {
    get<T>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<boolean>;
  };
}

interface Stored {
  value: string;
  until: number;
}

interface Lease {
  owner: string;
  until: number;
}

const STORE_URL = "https://genesys-store";

/**
 * The Durable Object class behind {@link durableObjectStore}: export it from your Worker and bind it
 * (`[[durable_objects.bindings]]`, `class_name = "GenesysStore"`). One instance holds one key's value,
 * or one lock's lease, in its transactional storage.
 */
export class GenesysStore {
  readonly #storage: DurableObjectStateLike["storage"];

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  /** `GET /value`, `PUT /value?ttl=ms` (body), `DELETE /value`, `POST /lease?ttl=ms&owner=`, `DELETE /lease?owner=`. */
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const ttl = Number(url.searchParams.get("ttl"));
    const owner = url.searchParams.get("owner") ?? "";
    const now = Date.now();
    const route = `${request.method} ${url.pathname}`;
    if (route === "GET /value") {
      const stored = await this.#storage.get<Stored>("value");
      return stored !== undefined && stored.until > now
        ? new Response(stored.value)
        : new Response(null, { status: 404 });
    }
    if (route === "PUT /value" && Number.isFinite(ttl)) {
      await this.#storage.put("value", {
        value: await request.text(),
        until: now + Math.max(0, ttl),
      } satisfies Stored);
      return new Response(null, { status: 204 });
    }
    if (route === "DELETE /value") {
      await this.#storage.delete("value");
      return new Response(null, { status: 204 });
    }
    if (route === "POST /lease" && Number.isFinite(ttl) && owner !== "") {
      const lease = await this.#storage.get<Lease>("lease");
      if (lease !== undefined && lease.until > now) return new Response(null, { status: 409 });
      await this.#storage.put("lease", { owner, until: now + Math.max(1, ttl) } satisfies Lease);
      return new Response(null, { status: 204 });
    }
    if (route === "DELETE /lease") {
      const lease = await this.#storage.get<Lease>("lease");
      if (lease?.owner === owner) await this.#storage.delete("lease"); // never a successor's lease
      return new Response(null, { status: 204 });
    }
    return new Response(null, { status: 400 });
  }
}

/**
 * A store and lock on the {@link GenesysStore} Durable Object namespace `namespace`: pass it as both
 * `store` and `lock` (e.g. `createCodeFlow({ …, store: sessions, lock: sessions })`).
 */
export function durableObjectStore(namespace: DurableObjectNamespaceLike): TokenStore & TokenLock {
  const call = async (name: string, path: string, init: RequestInit = {}): Promise<Response> => {
    const response = await namespace
      .get(namespace.idFromName(name) as never)
      .fetch(`${STORE_URL}${path}`, init);
    if (response.status >= 500 || response.status === 400) {
      throw new Error(`GenesysStore answered ${response.status}`);
    }
    return response;
  };
  return {
    async get(key) {
      const response = await call(key, "/value");
      return response.status === 200 ? response.text() : null;
    },
    async set(key, value, { ttlMs }) {
      await call(key, `/value?ttl=${Math.ceil(ttlMs)}`, { method: "PUT", body: value });
    },
    async delete(key) {
      await call(key, "/value", { method: "DELETE" });
    },
    async tryAcquire(name, ttlMs): Promise<HeldLock | null> {
      const owner = crypto.randomUUID();
      const query = `?owner=${owner}`;
      const response = await call(name, `/lease${query}&ttl=${Math.ceil(ttlMs)}`, { method: "POST" });
      if (response.status === 409) return null;
      return {
        async release() {
          await call(name, `/lease${query}`, { method: "DELETE" });
        },
      };
    },
  };
}
