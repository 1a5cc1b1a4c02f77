/**
 * `paginate`: iterate over Genesys' paged list responses (`entities`, `pageNumber`, `pageCount`,
 * `nextUri`) with guards against runaway listings.
 *
 * @module
 */
import type { KyInstance } from "ky";
import { GenesysAuthError } from "../errors.ts";

/** One page of a Genesys listing. */
export interface GenesysPage<T> {
  entities?: T[];
  pageSize?: number;
  pageNumber?: number;
  total?: number;
  pageCount?: number;
  nextUri?: string | null;
  [key: string]: unknown;
}

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Items per page (Genesys allows up to 500 on most listings; default 100). */
  pageSize?: number;
  /** Extra query parameters sent with every page. */
  searchParams?: Record<string, string | number | boolean>;
  /** Stop after this many pages (default 1000). */
  maxPages?: number;
  /** Stop after this many items (default: no limit). */
  maxItems?: number;
  /** Aborts the listing. */
  signal?: AbortSignal;
}

/** `api/v2/users?…` from a `nextUri` (`/api/v2/...` or an absolute URL under the client's API host). */
function relative(nextUri: string): string {
  const path = /^https?:\/\//i.test(nextUri) ? new URL(nextUri).pathname + new URL(nextUri).search : nextUri;
  return path.replace(/^\/+/, "");
}

/**
 * Yields every entity of a paged listing, following `nextUri` (or `pageNumber` up to
 * `pageCount`), e.g. `for await (const user of paginate(api, "api/v2/users")) …`.
 */
export async function* paginate<T = Record<string, unknown>>(
  api: KyInstance,
  path: string,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const maxPages = options.maxPages ?? 1000;
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  if (typeof path !== "string" || path.trim() === "") {
    throw new GenesysAuthError(
      "invalid_config",
      'paginate(): the path must be a non-empty string, e.g. "api/v2/users".',
    );
  }
  if (!(maxPages >= 1) || !(maxItems >= 1)) {
    throw new GenesysAuthError("invalid_config", "paginate(): maxPages and maxItems must be >= 1.");
  }
  const seen = new Set<string>();
  let next: string | undefined;
  let items = 0;
  for (let page = 1; page <= maxPages; page++) {
    const params = { ...options.searchParams, pageSize: options.pageSize ?? 100, pageNumber: page };
    const body = await api
      .get(next ?? path.replace(/^\/+/, ""), {
        ...(next === undefined ? { searchParams: params } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })
      .json<GenesysPage<T>>();
    const entities = Array.isArray(body?.entities) ? body.entities : [];
    for (const entity of entities) {
      yield entity;
      if (++items >= maxItems) return;
    }
    if (entities.length === 0) return;
    if (typeof body.nextUri === "string" && body.nextUri !== "") {
      next = relative(body.nextUri);
      if (seen.has(next)) return; // a server looping on the same page
      seen.add(next);
    } else if (typeof body.pageCount === "number" && page < body.pageCount) {
      next = undefined;
    } else {
      return;
    }
  }
}
