/**
 * The login host's HTML pages: an error page (for requests that must not be redirected), the login
 * page that continues to the app by itself, and the logged-out page. Nothing a client sent is shown
 * except through {@link escapeHtml}.
 *
 * @module
 */
import { escapeHtml } from "../encoding.ts";

function page(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${head}</head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>
`;
}

/** An HTML answer from the login host. */
export function htmlResponse(
  status: number,
  html: string,
  correlationId: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "inin-correlation-id": correlationId,
      ...headers,
    },
  });
}

/** The page a login server shows when it cannot send the browser back to the app. */
export function errorPage(status: number, message: string, correlationId: string): Response {
  return htmlResponse(
    status,
    page(
      "Sign-in error",
      `<p id="error">${escapeHtml(message)}</p><p>Correlation id: <code>${escapeHtml(correlationId)}</code></p>`,
    ),
    correlationId,
  );
}

/**
 * The mock's login page: says who signs in, then continues to `location` after `delayMs` by script,
 * or by meta refresh when script does not run (never both).
 */
export function loginPage(
  location: string,
  userName: string,
  delayMs: number,
  correlationId: string,
  headers: Record<string, string>,
): Response {
  const seconds = Math.max(0, Math.ceil(delayMs / 1000));
  // JSON in a script: `<` escaped so no "</script>" can end it early.
  const target = JSON.stringify(location).replace(/</g, "\\u003c");
  const html = page(
    "Mock Genesys Cloud sign-in",
    `<p>Signed in as <strong id="user">${escapeHtml(userName)}</strong>.</p>
<p><a id="continue" href="${escapeHtml(location)}">Continue</a></p>
<script>setTimeout(function () { location.replace(${target}); }, ${Math.max(0, Math.floor(delayMs))});</script>`,
    // Only without script: two navigations could send the code to the app twice.
    `<noscript><meta http-equiv="refresh" content="${seconds};url=${escapeHtml(location)}"></noscript>`,
  );
  return htmlResponse(200, html, correlationId, headers);
}

/** The page `/logout` shows when it has no (registered) redirect URI to go back to. */
export function loggedOutPage(correlationId: string): Response {
  return htmlResponse(200, page("Signed out", "<p>You have been signed out.</p>"), correlationId);
}
