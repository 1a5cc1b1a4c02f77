/**
 * Where a browser sign-in keeps its state: the user's token and the pending sign-ins (verifier and
 * state, single-use), in `sessionStorage` (default), `localStorage`, memory, or a storage of the
 * app's. Storage that the browser refuses (a sandboxed or third-party frame) falls back to memory;
 * anything read back is validated.
 *
 * @module
 */
import { parseJsonObject } from "../encoding.ts";
import { parseEntry, serializeEntry, type TokenEntry } from "../token/entry.ts";

/** The part of the Web Storage API a browser sign-in uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Where a browser sign-in keeps the token and its pending sign-ins. */
export type StorageOption = "session" | "local" | "memory" | StorageLike;

/** A sign-in started and not finished yet. */
export interface Pending {
  /** The PKCE verifier. */
  readonly verifier: string;
  /** The app's own state, handed back after the exchange. */
  readonly appState?: string;
  /** Whether the sign-in runs in a popup (its redirect page hands the answer to the opener). */
  readonly popup: boolean;
  /** When it started (epoch ms); pending sign-ins older than 10 minutes are dropped. */
  readonly startedAt: number;
}

/** A pending sign-in lives at most this long (a code lives 60 s; a login page may take a while). */
const PENDING_MS = 10 * 60_000;

/** The storage behind `option`, or memory when the browser refuses it. */
export function storageOf(option: StorageOption | undefined): StorageLike {
  if (typeof option === "object") return option;
  if (option !== "memory") {
    try {
      const storage = option === "local" ? globalThis.localStorage : globalThis.sessionStorage;
      const probe = "gca:probe";
      storage.setItem(probe, "1");
      storage.removeItem(probe);
      return storage;
    } catch {
      // refused (sandboxed or partitioned frame, private mode quota): keep it in memory
    }
  }
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/** The sign-in state of one OAuth client in `storage`. Every call is guarded: a failing storage is empty. */
export function signInStore(storage: StorageLike, clientId: string, now: () => number) {
  const tokenKey = `gca:token:${clientId}`;
  const pendingKey = (state: string) => `gca:pending:${clientId}:${state}`;
  const indexKey = `gca:pending:${clientId}`;
  const spentKey = `gca:spent:${clientId}`;
  const get = (key: string) => {
    try {
      return storage.getItem(key);
    } catch {
      return null;
    }
  };
  const set = (key: string, value: string) => {
    try {
      storage.setItem(key, value);
    } catch {
      // quota or refusal: the value stays in memory only (the engine holds the token)
    }
  };
  const remove = (key: string) => {
    try {
      storage.removeItem(key);
    } catch {
      // nothing to remove
    }
  };
  /** The states of the pending sign-ins (to drop stale ones). */
  const index = (): string[] => {
    const list = parseJsonObject(get(indexKey) ?? "")?.states;
    return Array.isArray(list) ? list.filter((s): s is string => typeof s === "string").slice(-20) : [];
  };

  /** Lately finished states and when they finished. */
  const spentStates = (): Array<[string, number]> => {
    const list = parseJsonObject(get(spentKey) ?? "")?.spent;
    return Array.isArray(list)
      ? list.filter(
          (x): x is [string, number] =>
            Array.isArray(x) && typeof x[0] === "string" && typeof x[1] === "number",
        )
      : [];
  };

  return {
    token(): TokenEntry | undefined {
      const text = get(tokenKey);
      return text === null ? undefined : parseEntry(text);
    },
    saveToken(entry: TokenEntry): void {
      set(tokenKey, serializeEntry(entry));
    },
    forgetToken(): void {
      remove(tokenKey);
    },
    /** Records a pending sign-in under its wire state; drops the stale ones. */
    begin(state: string, pending: Pending): void {
      const states = index().filter((s) => {
        const started = this.peek(s)?.startedAt ?? 0;
        if (now() - started < PENDING_MS) return true;
        remove(pendingKey(s));
        return false;
      });
      set(pendingKey(state), JSON.stringify(pending));
      set(indexKey, JSON.stringify({ states: [...states, state] }));
    },
    /** The pending sign-in of `state`, if it is still young enough. */
    peek(state: string): Pending | undefined {
      const json = parseJsonObject(get(pendingKey(state)) ?? "");
      if (json === undefined || typeof json.verifier !== "string" || typeof json.startedAt !== "number") {
        return undefined;
      }
      if (now() - json.startedAt >= PENDING_MS) return undefined;
      return {
        verifier: json.verifier,
        popup: json.popup === true,
        startedAt: json.startedAt,
        ...(typeof json.appState === "string" ? { appState: json.appState } : {}),
      };
    },
    /**
     * Removes a pending sign-in: verifier and state are single-use, whatever the outcome. Its state is
     * remembered as spent for a while, so that its answer replayed is told apart from a forged one.
     */
    finish(state: string): void {
      remove(pendingKey(state));
      set(indexKey, JSON.stringify({ states: index().filter((s) => s !== state) }));
      const young = spentStates().filter(([s, at]) => s !== state && now() - at < PENDING_MS);
      set(spentKey, JSON.stringify({ spent: [...young, [state, now()]].slice(-20) }));
    },
    /** Whether `state` belonged to a sign-in that finished here lately (its answer is a replay). */
    spent(state: string): boolean {
      return spentStates().some(([s, at]) => s === state && now() - at < PENDING_MS);
    },
    /** Removes every pending sign-in. */
    finishAll(): void {
      for (const state of index()) remove(pendingKey(state));
      remove(indexKey);
      remove(spentKey);
    },
  };
}
