/**
 * A real HTTP server on 127.0.0.1 that misbehaves on purpose: redirects, echoes requests, trickles or
 * stalls bodies. Every request it receives is recorded, so a test can prove what reached it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** One request as the server received it. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A running hostile server. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests received so far. */
  readonly received: Received[];
  close(): Promise<void>;
}

/** Starts a server whose `handle` answers each request (its body already read into `received.body`). */
export async function hostileServer(
  handle: (req: Received, res: ServerResponse) => void | Promise<void>,
): Promise<HostileServer> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry: Received = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    received.push(entry);
    try {
      await handle(entry, res);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes the status line and headers, then one space every `everyMs` until the client goes away. */
export function trickle(res: ServerResponse, status: number, everyMs = 50, start = '{"access_token":'): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.write(start);
  const timer = setInterval(() => res.write(" "), everyMs);
  res.on("close", () => clearInterval(timer));
}

/** Writes the status line, headers and part of a body, then never another byte. */
export function stall(res: ServerResponse, status: number, start = '{"message":"'): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.write(start);
}
