/**
 * Serves a fetch handler (the mock Genesys Cloud) over real HTTP on 127.0.0.1 with `node:http`
 * (Node, Bun and Deno's Node compatibility). `node:http` is fetched at run time, never imported, so
 * the rest of the testing entry stays runtime-neutral and bundles for browsers and Workers.
 *
 * @module
 */
import type { MockGenesys } from "./mock.ts";

/** A running server. */
export interface ServedMock {
  /** Base URL, e.g. `http://127.0.0.1:43121` (use as both loginUrl and apiUrl). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

type NodeHttp = typeof import("node:http");

/**
 * `node:http`, without a static or analyzable dynamic import, so bundlers for browsers and Workers
 * and Deno's publish analyzer leave this module alone: `process.getBuiltinModule` (Node >= 20.16,
 * Deno 2, Bun), else, on older Node 20, an import the analyzers cannot see.
 */
async function loadHttp(): Promise<NodeHttp> {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = host?.getBuiltinModule?.("node:http") as NodeHttp | undefined;
  if (builtin !== undefined) return builtin;
  try {
    const load = new Function("specifier", "return import(specifier)") as (id: string) => Promise<NodeHttp>;
    return await load("node:http");
  } catch (cause) {
    throw new Error(
      "serveMockGenesys needs node:http (Node, Deno or Bun); elsewhere use mock.fetch or mock.handler",
      { cause },
    );
  }
}

/** Serves `mock` (or any fetch handler) on `hostname` (default 127.0.0.1), `port` (default: any free). */
export async function serveMockGenesys(
  mock: Pick<MockGenesys, "handler">,
  options: { port?: number; hostname?: string } = {},
): Promise<ServedMock> {
  const { createServer } = await loadHttp();
  const hostname = options.hostname ?? "127.0.0.1";
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const controller = new AbortController();
      res.on("close", () => controller.abort());
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const body =
        chunks.length > 0 && req.method !== "GET" && req.method !== "HEAD"
          ? Buffer.concat(chunks)
          : undefined;
      const request = new Request(`http://${req.headers.host ?? `${hostname}`}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        body,
        signal: controller.signal,
      });
      const response = await mock.handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(req.method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer()));
    } catch {
      req.socket.destroy(); // a scripted network error, or an aborted request
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : Number(options.port);
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
