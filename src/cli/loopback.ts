/**
 * The loopback redirect of `login`: an HTTP server on 127.0.0.1 that answers `GET /callback` only
 * (anything else is 404, another method 405), only to loopback peers, with request heads bounded
 * (8 KB) and slow clients cut off; every answer is a small HTML page whose text is escaped, never
 * cached, framed or given a referrer. The server closes every connection when it is closed.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { escapeHtml } from "../encoding.ts";
import { CliError } from "./context.ts";

/** The page to answer a callback with. */
export interface CallbackAnswer {
  status: number;
  title: string;
  message: string;
  /** Runs once the answer is sent (or the browser closed the connection first). */
  sent?: () => void;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://localhost:<port>/callback`: what the OAuth client must have registered, exactly. */
  readonly redirectUri: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Request heads (request line with the callback's query, and headers) above this are refused (431). */
const MAX_HEAD_BYTES = 8 * 1024;
/** A client that has not sent its whole request by then is cut off. */
const REQUEST_TIMEOUT_MS = 10_000;

function page(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem"><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p></body></html>
`;
}

function send(response: ServerResponse, answer: CallbackAnswer): void {
  if (answer.sent) response.once("close", answer.sent); // sent, or the browser went away
  response.writeHead(answer.status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    connection: "close",
  });
  response.end(page(answer.title, answer.message));
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && /^(127\.|::ffff:127\.|::1$)/.test(address);
}

/**
 * Listens on 127.0.0.1:`port` and hands every `GET /callback` request's URL to `handle`, answering
 * with the page it returns.
 *
 * @throws {CliError} when the port is taken or may not be used.
 */
export async function listenForCallback(
  port: number,
  handle: (url: URL) => CallbackAnswer | Promise<CallbackAnswer>,
): Promise<LoopbackServer> {
  const redirectUri = `http://localhost:${port}/callback`;
  const onRequest = async (request: IncomingMessage, response: ServerResponse) => {
    if (!isLoopback(request.socket.remoteAddress)) {
      request.socket.destroy();
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? "/", redirectUri);
    } catch {
      send(response, { status: 400, title: "Bad request", message: "This address cannot be read." });
      return;
    }
    if (url.pathname !== "/callback") {
      send(response, {
        status: 404,
        title: "Not found",
        message: "Nothing here: the sign-in comes back to /callback.",
      });
      return;
    }
    if (request.method !== "GET") {
      response.setHeader("allow", "GET");
      send(response, {
        status: 405,
        title: "Method not allowed",
        message: "The sign-in comes back with GET.",
      });
      return;
    }
    let answer: CallbackAnswer;
    try {
      answer = await handle(url);
    } catch {
      answer = { status: 500, title: "Sign-in failed", message: "Something went wrong: see the terminal." };
    }
    send(response, answer);
  };
  const server = createServer(
    { maxHeaderSize: MAX_HEAD_BYTES, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS },
    (request, response) => void onRequest(request, response),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const hint = `Pass another --port (and register http://localhost:<port>/callback on the OAuth client too).`;
      reject(
        error.code === "EADDRINUSE"
          ? new CliError(`Port ${port} on 127.0.0.1 is in use (another sign-in, or another program).`, hint)
          : new CliError(`Cannot listen on 127.0.0.1:${port} (${error.code ?? error.message}).`, hint),
      );
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    redirectUri,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
