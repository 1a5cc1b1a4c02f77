/**
 * Every wait of the SDK: an abortable sleep, an abortable wait on a promise, a call to foreign code
 * (a store, a lock, a Worker's `waitUntil`) that is bounded in time and can neither throw
 * synchronously nor hang, and the monotonic clock waits are measured on.
 *
 * @module
 */

/** Milliseconds on a monotonic clock: unaffected by wall-clock steps and by an injected `now`. */
export const monotonic = (): number => performance.now();

/** Lets the process exit while `timer` is pending (Node, Bun, Deno); a no-op where timers never hold it. */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === "object" && typeof (timer as { unref?: unknown }).unref === "function") {
    (timer as { unref(): void }).unref();
    return;
  }
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof timer === "number") deno?.unrefTimer?.(timer);
}

/** Waits `ms`, rejecting with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves like `promise`, or rejects with the signal's reason when it aborts first. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Calls foreign code and resolves with what it answers, or rejects once `ms` have passed. A
 * synchronous throw becomes a rejection and a non-promise result is accepted as it is, so a
 * misbehaving store or lock can never break or wedge the caller.
 */
export function guarded<T>(call: () => T | Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  const answer = new Promise<T>((resolve) => resolve(call()));
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}
