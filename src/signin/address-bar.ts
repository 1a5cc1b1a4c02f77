/**
 * The sign-in answer in the address bar: read once, then removed (with `history.replaceState`, so it
 * stays out of the session history too), keeping the rest of the URL.
 *
 * @module
 */

/** Query parameters of a sign-in answer, removed from the address bar once read. */
const ANSWER_PARAMETERS = [
  "code",
  "state",
  "error",
  "error_description",
  "error_uri",
  "iss",
  "session_state",
];

/**
 * Removes the sign-in answer (code, state, error, …) from the address bar, keeping the rest of the
 * URL. True when `url` was the address bar's (whether or not the history API let it be replaced).
 */
export function stripAnswer(url: URL): boolean {
  const location = globalThis.location;
  if (location === undefined || location.href !== url.href) return false;
  const clean = new URL(url.href);
  for (const name of ANSWER_PARAMETERS) clean.searchParams.delete(name);
  try {
    globalThis.history.replaceState(globalThis.history.state, "", clean.href);
  } catch {
    // no history API (an unusual frame): nothing to strip
  }
  return true;
}
