/**
 * CORS for `/oauth/token` and `/api/...`, so a page on another origin (a browser app, a Chromium
 * test) can exchange a code and call the API: the request's `Origin` is echoed, without
 * credentials (bearer tokens travel in `Authorization`, not cookies).
 *
 * @module
 */

const EXPOSED = "inin-correlation-id, retry-after";

/** Whether `request` is a CORS preflight. */
export function isPreflight(request: Request): boolean {
  return (
    request.method === "OPTIONS" &&
    request.headers.has("origin") &&
    request.headers.has("access-control-request-method")
  );
}

/** The answer to a preflight. */
export function preflightResponse(request: Request): Response {
  const asked = request.headers.get("access-control-request-headers") ?? "";
  const headers =
    /^[A-Za-z0-9\-, ]{0,512}$/.test(asked) && asked !== "" ? asked : "authorization, content-type";
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": request.headers.get("origin") ?? "*",
      "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE",
      "access-control-allow-headers": headers,
      "access-control-max-age": "600",
      vary: "origin",
    },
  });
}

/** `response` with the CORS headers for `origin` (a copy: a custom route's headers may be immutable). */
export function withCors(response: Response, origin: string): Response {
  const headers = new Headers(response.headers);
  headers.set("access-control-allow-origin", origin);
  headers.set("access-control-expose-headers", EXPOSED);
  headers.append("vary", "origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
