/**
 * Drives a server sign-in example as a browser would, over HTTP: `/login` → the mock's authorize
 * page → the app's `/callback` (cookies carried by hand) → `/`, which answers the signed-in user.
 */

/** Fetches a path of the app (with cookies); `redirect: "manual"` always. */
export type AppFetch = (url: string, init: { headers: Record<string, string> }) => Promise<Response>;

/** Signs in through `app` (whose origin is `base`), following the mock's authorize redirect; answers `/`'s body. */
export async function signInThrough(app: AppFetch, base: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = (pair ?? "").split("=");
      if (name) cookies.set(name, value ?? "");
    }
  };
  const headers = () => ({ cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join("; ") });
  const login = await app(`${base}/login?next=/`, { headers: headers() });
  keep(login);
  const authorize = login.headers.get("location");
  if (login.status !== 302 || !authorize) throw new Error(`/login answered ${login.status}`);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = approved.headers.get("location");
  if (approved.status !== 302 || !callback) throw new Error(`authorize answered ${approved.status}`);
  const back = await app(callback.replace(/^https?:\/\/[^/]+/, base), { headers: headers() });
  keep(back);
  if (back.status !== 302) throw new Error(`/callback answered ${back.status}: ${await back.text()}`);
  const home = await app(`${base}/`, { headers: headers() });
  if (!home.ok) throw new Error(`/ answered ${home.status}`);
  return home.text();
}
