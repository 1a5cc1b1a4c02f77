// A Node web app where people sign in with Genesys Cloud (authorization code grant of a confidential
// client), on node:http. Sessions live in this process's memory (the default store); for several
// processes pass a shared store and lock (Redis: redisStore + redisLock).
// Environment: GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION (or the mock's URLs),
// GENESYS_REDIRECT_URI = http://localhost:<PORT>/callback, registered on the OAuth client exactly.
import { createServer } from "node:http";
import { createClient, createCodeFlow, fromEnv } from "genesys-cloud-auth";

const flow = createCodeFlow({ ...fromEnv(), redirectUri: process.env.GENESYS_REDIRECT_URI });
const port = Number(process.env.PORT ?? 3000);

const cookieOf = (request, name) =>
  request.headers.cookie
    ?.split(/;\s*/)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
const cookie = (name, value, maxAge) => `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", `http://localhost:${port}`);
  const send = (status, headers, body = "") => response.writeHead(status, headers).end(body);
  try {
    if (url.pathname === "/login") {
      const { url: authorize, state } = await flow.authorizationUrl({
        state: url.searchParams.get("next") ?? "/",
      });
      return send(302, { location: authorize, "set-cookie": cookie("gca_state", state, 600) });
    }
    if (url.pathname === "/callback") {
      const signedIn = await flow.exchange(url, { state: cookieOf(request, "gca_state") ?? "" });
      const next = signedIn.appState?.startsWith("/") ? signedIn.appState : "/";
      return send(302, {
        location: next,
        "set-cookie": [cookie("gca_session", signedIn.sessionId, 30 * 86_400), cookie("gca_state", "", 0)],
      });
    }
    const sessionId = cookieOf(request, "gca_session");
    if (url.pathname === "/logout") {
      if (sessionId) await flow.signOut(sessionId);
      return send(302, { location: "/", "set-cookie": cookie("gca_session", "", 0) });
    }
    if (!sessionId)
      return send(200, { "content-type": "text/html" }, '<a href="/login">Sign in with Genesys Cloud</a>');
    const api = createClient({ auth: flow.session(sessionId) });
    const [me, org] = await Promise.all([
      api.get("api/v2/users/me").json(),
      api.get("api/v2/organizations/me").json(),
    ]);
    return send(
      200,
      { "content-type": "application/json" },
      JSON.stringify({ name: me.name, organization: org.name }),
    );
  } catch (error) {
    if (error.code === "login_required")
      return send(302, { location: "/login", "set-cookie": cookie("gca_session", "", 0) });
    return send(400, { "content-type": "text/plain" }, `Sign-in failed: ${error.message}`);
  }
});
server.listen(port, "127.0.0.1", () => console.log(`listening on http://localhost:${port}`));
