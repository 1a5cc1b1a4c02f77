/**
 * A client-wide pause: after a 429, new requests through the same client wait out the
 * `Retry-After` instead of stampeding the API.
 *
 * @module
 */
import { sleep } from "../wait.ts";

/** Holds requests until a deadline. */
export interface Throttle {
  /** Extends the pause to at least `ms` from now. */
  hold(ms: number): void;
  /** A wait until the pause ends, or `undefined` when there is none (the common case). */
  wait(signal?: AbortSignal | null): Promise<void> | undefined;
}

/** Creates a throttle. */
export function createThrottle(now: () => number = Date.now): Throttle {
  let until = 0;
  return {
    hold(ms) {
      until = Math.max(until, now() + ms);
    },
    wait(signal) {
      if (until === 0) return undefined;
      const ms = until - now();
      if (ms <= 0) {
        until = 0;
        return undefined;
      }
      return sleep(ms, signal);
    },
  };
}
