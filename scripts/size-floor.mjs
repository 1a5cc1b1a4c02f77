// The size floor: bundles of parts the product contract requires on their own, measured like the
// budget cases. They show how much of each budget is spent before any token logic: ky is the
// required HTTP engine (DESIGN.md: the token POST goes through ky), valibot must check every option
// and every token response, and every error carries an administrator's hint.

/** The least valibot the contract allows: the 18 createAuth options and the token response, bare types, valibot's own messages. */
const BARE_SCHEMAS = `import * as v from "valibot";
const fn = v.custom((x) => typeof x === "function");
const obj = v.custom((x) => typeof x === "object" && x !== null);
const options = v.strictObject({ clientId: v.string(), clientSecret: v.string(), region: v.optional(v.string()),
  loginUrl: v.optional(v.string()), apiUrl: v.optional(v.string()), scopes: v.optional(v.array(v.string())),
  clientAuthentication: v.optional(v.picklist(["basic", "body"])), store: v.optional(obj), lock: v.optional(obj),
  encryption: v.optional(v.union([v.literal(false), obj])), refreshMarginSeconds: v.optional(v.number()),
  timeoutMs: v.optional(v.number()), retry: v.optional(v.strictObject({ limit: v.optional(v.number()),
  maxRetryAfterSeconds: v.optional(v.number()) })), fetch: v.optional(fn), waitUntil: v.optional(fn),
  dangerouslyAllowBrowser: v.optional(v.boolean()), onEvent: v.optional(fn), now: v.optional(fn) });
const tokenResponse = v.looseObject({ access_token: v.string(), token_type: v.string(), expires_in: v.number(),
  scope: v.optional(v.string()) });
export const parseOptions = (x) => v.parse(options, x);
export const parseTokenResponse = (x) => v.parse(tokenResponse, x);
`;
const KY = 'export { default as ky } from "ky";\n';
const ERRORS = 'export { GenesysAuthError } from "./src/errors.ts";\n';

/** Each floor row: what it bundles, and which budget it is a floor of. */
export const FLOOR_CASES = [
  { name: "bare valibot schemas (options + token response)", code: BARE_SCHEMAS, of: "core" },
  { name: "bare valibot schemas + GenesysAuthError", code: BARE_SCHEMAS + ERRORS, of: "core" },
  { name: "ky alone", code: KY, of: "worker" },
  { name: "ky + bare valibot schemas", code: KY + BARE_SCHEMAS, of: "worker" },
  { name: "ky + bare valibot schemas + GenesysAuthError", code: KY + BARE_SCHEMAS + ERRORS, of: "worker" },
];
