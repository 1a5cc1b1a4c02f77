/// <reference lib="deno.ns" />
/// <reference lib="deno.unstable" />
// One member of the fleet in real Deno: Deno KV (a shared file) as store and lock.
import { createAuth, createClient, getOrganization } from "../../src/index.ts";
import { denoKvLock, denoKvStore } from "../../src/store/deno-kv.ts";

const env = Deno.env.toObject();
const kv = await Deno.openKv(env.KV_PATH);
const auth = createAuth({
  clientId: env.CLIENT_ID as string,
  clientSecret: env.CLIENT_SECRET as string,
  loginUrl: env.MOCK_URL,
  apiUrl: env.MOCK_URL,
  store: denoKvStore(kv),
  lock: denoKvLock(kv),
  onEvent: (e) => {
    if (env.FLEET_DEBUG) console.error(Deno.pid, e.type, e.type === "store_error" ? String(e.error) : "");
  },
});
const api = createClient({ auth });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(env.START_AT) - Date.now())));
let ok = 0;
for (let i = 0; i < Number(env.CALLS); i++) {
  await getOrganization(api);
  ok++;
}
kv.close();
console.log(JSON.stringify({ ok }));
