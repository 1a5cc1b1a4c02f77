// Bun: a small service that answers GET /org with the organization's name.
// Run: bun examples/bun/server.ts   (PORT defaults to 3000)
import { createAuth, createClient, fromEnv, getOrganization } from "genesys-cloud-auth";

const auth = createAuth(fromEnv(process.env));
const api = createClient({ auth });

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: "127.0.0.1",
  async fetch(request) {
    if (new URL(request.url).pathname !== "/org") return new Response("not found", { status: 404 });
    const org = await getOrganization(api);
    return Response.json({ name: org.name, region: auth.region });
  },
});
console.log(`listening on ${server.url}`);
