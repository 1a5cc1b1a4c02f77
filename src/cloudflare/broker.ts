/**
 * The Durable Object class that owns the token refresh of one cache key, so that every isolate of a
 * Worker — in every location — shares one token fetched once. It reads the OAuth client from its
 * `env` (the `GENESYS_*` variables, see `fromEnv`) and runs the client-credentials token engine in
 * memory: the engine's single-flight means at most one token request at a time (input gates do not
 * cover outgoing fetches). Entries travel encrypted, with the same envelope as any shared store.
 *
 * @module
 */
import { fromEnv } from "../env.ts";
import { GenesysAuthError, plainError } from "../errors.ts";
import { type CreateAuthOptions, clientCredentialsEngine } from "../grants/client-credentials.ts";
import type { ConfidentialEngine } from "../grants/confidential.ts";
import type { Redact } from "../redact.ts";
import type { TokenEntry } from "../token/entry.ts";
import { type EntryCodec, encryptionOf, entryCodec } from "../token/shared.ts";

/**
 * The Durable Object class: export it from your Worker and bind it (`[[durable_objects.bindings]]`,
 * `class_name = "GenesysTokenBroker"`). Override {@link GenesysTokenBroker.options} to configure it
 * from something other than the `GENESYS_*` variables.
 */
export class GenesysTokenBroker {
  readonly #env: Record<string, unknown>;
  #setup: Promise<{ client: ConfidentialEngine; key: string; codec: EntryCodec }> | undefined;
  #sealed: { entry: TokenEntry; envelope: Promise<string> } | undefined;
  /** Redacts the broker's credentials from a foreign error before it is answered. */
  #redact: Redact = (text) => text;

  constructor(_state: unknown, env: Record<string, unknown>) {
    this.#env = env;
  }

  /** The createAuth options of the broker; default `fromEnv(env)`. */
  options(env: Record<string, unknown>): CreateAuthOptions {
    return fromEnv(env);
  }

  #prepare() {
    this.#setup ??= (async () => {
      const client = clientCredentialsEngine(this.options(this.#env));
      this.#redact = client.engine.redact;
      const key = client.key();
      const codec = entryCodec(key, client.secret, encryptionOf(client.settings, client.secret));
      return { client, key: await key, codec };
    })();
    return this.#setup;
  }

  /** The envelope of a token not yet due for refresh (sealed once per token). */
  async #envelope(): Promise<string> {
    const { client, codec } = await this.#prepare();
    const entry = await client.engine.fresh();
    if (this.#sealed?.entry === entry) return this.#sealed.envelope; // the engine hands out one entry per token
    const envelope = codec.encode(entry);
    this.#sealed = { entry, envelope };
    return envelope;
  }

  /** `POST /token?key=…` answers the current token's envelope; `DELETE /token?key=…` drops it. */
  async fetch(request: Request): Promise<Response> {
    try {
      const { key, client } = await this.#prepare();
      if (new URL(request.url).searchParams.get("key") !== key) {
        return Response.json(
          {
            code: "invalid_config",
            message: "The broker's OAuth client configuration differs from the Worker's (cache keys differ).",
          },
          { status: 409 },
        );
      }
      if (request.method === "DELETE") {
        this.#sealed = undefined;
        await client.engine.end();
        return new Response(null, { status: 204 });
      }
      return new Response(await this.#envelope(), { headers: { "content-type": "text/plain" } });
    } catch (error) {
      const e =
        error instanceof GenesysAuthError
          ? error
          : new GenesysAuthError("server_error", plainError(error, this.#redact).message);
      return Response.json(e.toJSON(), { status: 502 });
    }
  }
}
