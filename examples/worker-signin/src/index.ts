// A Cloudflare Worker web app where people sign in with Genesys Cloud (authorization code grant of a
// confidential client). Sessions live in a Durable Object (binding SESSIONS, class GenesysStore):
// strongly consistent, so a refresh token — single-use, rotated by Genesys — is never spent twice,
// and the refresh lock is there too. Workers KV would not do: it is eventually consistent.
// Secrets: `wrangler secret put GENESYS_CLIENT_ID` / `GENESYS_CLIENT_SECRET`; GENESYS_REDIRECT_URI is
// this Worker's /callback, registered on the OAuth client exactly.
import {
  type CodeFlow,
  createClient,
  createCodeFlow,
  fromEnv,
  isGenesysAuthError,
  type User,
} from "genesys-cloud-auth";
import {
  type DurableObjectNamespaceLike,
  durableObjectStore,
  GenesysStore,
} from "genesys-cloud-auth/durable-object";

export { GenesysStore };

interface Env extends Record<string, unknown> {
  SESSIONS: DurableObjectNamespaceLike;
  GENESYS_REDIRECT_URI: string;
}

let flow: CodeFlow | undefined; // one per isolate: sessions' tokens stay cached in memory between requests

function flowFor(env: Env): CodeFlow {
  const sessions = durableObjectStore(env.SESSIONS);
  flow ??= createCodeFlow({
    ...fromEnv(env),
    redirectUri: env.GENESYS_REDIRECT_URI,
    store: sessions,
    lock: sessions,
  });
  return flow;
}

/** A cookie's value from the request. */
function cookie(request: Request, name: string): string | undefined {
  const pair = request.headers
    .get("cookie")
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${name}=`));
  return pair?.slice(name.length + 1);
}

/** An HttpOnly cookie (Secure unless served over plain http, as in local tests). */
function setCookie(request: Request, name: string, value: string, maxAge: number): string {
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

function redirect(location: string, ...cookies: string[]): Response {
  const headers = new Headers({ location });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 302, headers });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const flow = flowFor(env);
    if (url.pathname === "/login") {
      const { url: authorize, state } = await flow.authorizationUrl({
        state: url.searchParams.get("next") ?? "/",
      });
      return redirect(authorize, setCookie(request, "gca_state", state, 600));
    }
    if (url.pathname === "/callback") {
      const state = cookie(request, "gca_state") ?? "";
      try {
        const signedIn = await flow.exchange(request.url, { state });
        const next = signedIn.appState?.startsWith("/") ? signedIn.appState : "/";
        return redirect(
          next,
          setCookie(request, "gca_session", signedIn.sessionId, 30 * 86_400),
          setCookie(request, "gca_state", "", 0),
        );
      } catch (error) {
        return new Response(`Sign-in failed: ${(error as Error).message}`, { status: 400 });
      }
    }
    const sessionId = cookie(request, "gca_session");
    if (url.pathname === "/logout") {
      if (sessionId) await flow.signOut(sessionId);
      return redirect("/", setCookie(request, "gca_session", "", 0));
    }
    if (!sessionId)
      return new Response('<a href="/login">Sign in with Genesys Cloud</a>', {
        headers: { "content-type": "text/html" },
      });
    try {
      const api = createClient({ auth: flow.session(sessionId) });
      const [me, org] = await Promise.all([
        api.get("api/v2/users/me").json<User>(),
        api.get("api/v2/organizations/me").json<{ name: string }>(),
      ]);
      return Response.json({ name: me.name, organization: org.name });
    } catch (error) {
      // The session ended (signed out elsewhere, refresh token revoked or expired): sign in again.
      if (isGenesysAuthError(error, "login_required"))
        return redirect("/login", setCookie(request, "gca_session", "", 0));
      throw error;
    }
  },
};
