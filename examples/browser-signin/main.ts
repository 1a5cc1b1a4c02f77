// Browser sign-in: a single-page app signs a user in with the authorization code grant and PKCE (no
// secret in the page), shows their name from /api/v2/users/me, and signs out (revoking the token).
// Bundle this file (esbuild, vite…) as main.js next to index.html, whose URL is the redirect URI.
// Redirect sign-in leaves the page and comes back; popup sign-in (for apps framed inside Genesys
// Cloud, where the login page cannot load) stays on it.
import { createBrowserAuth, createClient, isGenesysAuthError } from "genesys-cloud-auth/browser";

interface Config {
  clientId: string;
  region?: string;
  loginUrl?: string;
  apiUrl?: string;
}

const config = JSON.parse(document.getElementById("config")?.textContent ?? "{}") as Config;
const $ = (id: string) => document.getElementById(id) as HTMLElement;
const out = $("out");

const auth = createBrowserAuth({
  ...config,
  redirectUri: `${location.origin}${location.pathname}`, // this page, registered exactly
  onEvent: (event) => {
    if (event.type === "expiring") out.textContent += " (your session ends soon: sign in again)";
  },
});
const api = createClient({ auth });

/** Shows who is signed in, and the buttons that make sense now. */
async function render(): Promise<void> {
  const signedIn = auth.isSignedIn();
  $("sign-in").hidden = signedIn;
  $("sign-in-popup").hidden = signedIn;
  $("sign-out").hidden = !signedIn;
  if (!signedIn) {
    out.textContent = "browser-signin: signed out";
    return;
  }
  const me = await api.get("api/v2/users/me").json<{ name: string }>();
  out.textContent = `browser-signin: signed in as ${me.name}`;
}

function fail(error: unknown): void {
  const hint = isGenesysAuthError(error) && error.hint ? ` ${error.hint}` : "";
  out.textContent = `browser-signin: failed: ${error instanceof Error ? error.message : String(error)}${hint}`;
}

$("sign-in").addEventListener("click", () => void auth.signIn().catch(fail));
// Popup: signIn is called in the click itself, before any await (popup blockers allow nothing else).
$("sign-in-popup").addEventListener(
  "click",
  () => void auth.signIn({ popup: true }).then(render).catch(fail),
);
$("sign-out").addEventListener("click", () => void auth.signOut().then(render).catch(fail));

try {
  // Back from the login page? Exchange the code (in a sign-in popup: hand it to the opener, close).
  await auth.handleRedirect();
  await render();
} catch (error) {
  fail(error);
  $("sign-in").hidden = false;
  $("sign-in-popup").hidden = false;
}
