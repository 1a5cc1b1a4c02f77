// One member of the fleet (Node): a fresh createAuth on the shared backend, waiting for the common
// start time, then CALLS API calls. Prints one JSON line. Uses the built package (dist/).
import { createAuth, createClient, getOrganization, memoryStore } from "../../dist/index.js";

const { BACKEND, MOCK_URL, REDIS_URL, KV_PATH, START_AT, CALLS, CLIENT_ID, CLIENT_SECRET } = process.env;
let shared = {};
let close = async () => {};
if (BACKEND === "redis") {
  const { createClient: createRedis } = await import("redis");
  const { redisStore, redisLock } = await import("../../dist/redis.js");
  const client = createRedis({ url: REDIS_URL });
  await client.connect();
  shared = { store: redisStore(client), lock: redisLock(client) };
  close = () => client.quit();
} else if (BACKEND === "deno-kv-node") {
  const { openKv } = await import("@deno/kv");
  const { denoKvStore, denoKvLock } = await import("../../dist/deno-kv.js");
  const kv = await openKv(KV_PATH);
  shared = { store: denoKvStore(kv), lock: denoKvLock(kv) };
  close = async () => kv.close();
} else {
  shared = { store: memoryStore() }; // per process: nothing is shared
}
const auth = createAuth({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  loginUrl: MOCK_URL,
  apiUrl: MOCK_URL,
  ...shared,
});
const api = createClient({ auth });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(START_AT) - Date.now())));
let ok = 0;
for (let i = 0; i < Number(CALLS); i++) {
  await getOrganization(api);
  ok++;
}
await close();
console.log(JSON.stringify({ ok }));
