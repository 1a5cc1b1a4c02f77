/**
 * Response bodies exactly as Genesys Cloud shapes them: OAuth errors from the login host, platform
 * API errors (with `contextId` = `ININ-Correlation-Id`), and the entities the mock serves.
 *
 * @module
 */

/** A platform API error body. */
export interface GenesysErrorBody {
  message: string;
  code: string;
  status: number;
  messageWithParams: string;
  messageParams: Record<string, string>;
  contextId: string;
  details: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors: unknown[];
}

const API_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: {
    code: "bad.request",
    message: "The request could not be understood by the server due to malformed syntax.",
  },
  401: { code: "bad.credentials", message: "Invalid login credentials." },
  403: {
    code: "missing.any.permissions",
    message:
      "Unable to perform the requested action. You must have at least one of the following permissions assigned: [directory:user:view]",
  },
  404: { code: "not.found", message: "The requested resource was not found." },
  500: {
    code: "internal.server.error",
    message: "The server encountered an unexpected condition which prevented it from fulfilling the request.",
  },
  502: { code: "bad.gateway", message: "The server received an invalid response from an upstream server." },
  503: {
    code: "service.unavailable",
    message:
      "Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).",
  },
  504: {
    code: "gateway.timeout",
    message: "The server did not receive a timely response from an upstream server.",
  },
};

/** A platform API error body for `status`, with Genesys' standard code and message unless given. */
export function apiErrorBody(
  status: number,
  correlationId: string,
  overrides: { code?: string; message?: string; retryAfterSeconds?: number } = {},
): GenesysErrorBody {
  const standard =
    status === 429
      ? {
          code: "too.many.requests.retry.after",
          message: `Rate limit exceeded the maximum. Retry the request in [${overrides.retryAfterSeconds ?? 1}] seconds`,
        }
      : (API_ERRORS[status] ?? { code: "error", message: `HTTP ${status}` });
  const message = overrides.message ?? standard.message;
  return {
    message,
    code: overrides.code ?? standard.code,
    status,
    messageWithParams: message,
    messageParams: {},
    contextId: correlationId,
    details: [],
    errors: [],
  };
}

/** An OAuth error body from the login host. */
export function oauthErrorBody(error: string, description: string): Record<string, string> {
  return { error, description, error_description: description };
}

/** Default OAuth error for a scripted token failure of `status`. */
export function defaultOauthError(status: number): [error: string, description: string] {
  if (status === 401) return ["invalid_client", "authentication failed"];
  if (status === 400) return ["invalid_client", "client not found"];
  return ["server_error", "An internal error occurred"];
}

/** A user as `GET /api/v2/users/{id}` returns it. */
export interface MockUser {
  id: string;
  name: string;
  email: string;
  state: "active" | "inactive" | "deleted";
  division: { id: string; name: string; selfUri: string };
  version: number;
  selfUri: string;
  [key: string]: unknown;
}

const DIVISION_ID = "5b5e1e3a-1b4c-4e51-9f32-0d2d2a3f0001";

/** Deterministic users for the mock's directory. */
export function seedUsers(count: number): MockUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(12, "0");
    const id = `6a7b8c9d-0000-4000-8000-${n}`;
    return {
      id,
      name: `Mock User ${i + 1}`,
      email: `mock.user${i + 1}@example.com`,
      state: "active",
      division: { id: DIVISION_ID, name: "Home", selfUri: `/api/v2/authorization/divisions/${DIVISION_ID}` },
      version: 1,
      selfUri: `/api/v2/users/${id}`,
    };
  });
}

/** The organization `GET /api/v2/organizations/me` returns. */
export function organizationBody(id: string, name: string, domain: string): Record<string, unknown> {
  return {
    id,
    name,
    defaultLanguage: "en-us",
    defaultCountryCode: "US",
    thirdPartyOrgName: name.toLowerCase().replace(/[^a-z0-9]+/g, ""),
    domain,
    version: 1,
    state: "active",
    defaultSiteId: "c1d2e3f4-0000-4000-8000-000000000001",
    supportURI: "https://help.mypurecloud.com",
    voicemailEnabled: true,
    productPlatform: "PureCloud",
    selfUri: `/api/v2/organizations/${id}`,
    features: { realtimeCIC: false, purecloud: true, hipaa: false, ucEnabled: true, pci: false },
  };
}

/** A JSON response with Genesys' correlation header. */
export function genesysResponse(
  status: number,
  body: unknown,
  correlationId: string,
  headers: Record<string, string> = {},
): Response {
  const init: { status: number; headers: Record<string, string> } = {
    status,
    headers: { "inin-correlation-id": correlationId, ...headers },
  };
  if (body === undefined || status === 204 || status === 304) return new Response(null, init);
  if (typeof body === "string") {
    init.headers["content-type"] ??= body.trimStart().startsWith("<") ? "text/html" : "text/plain";
    return new Response(body, init);
  }
  init.headers["content-type"] ??= "application/json";
  return new Response(JSON.stringify(body), init);
}
