/**
 * The SAML assertions the mock's SAML2 bearer grant accepts, and a helper that makes one.
 *
 * Accepted: base64 or base64url (RFC 7522 §2.1; padding and line breaks optional) of UTF-8 XML whose
 * root element is a SAML 2.0 `<Assertion>` (any namespace prefix) holding a `<NameID>` that names an
 * active directory user by email (case-insensitive). When the assertion has `<Conditions>`, its
 * `NotBefore` / `NotOnOrAfter` are checked on the mock's clock. Signatures are NOT checked (a real org
 * checks them against its SSO provider's certificate). Anything else is refused with `invalid_grant`.
 *
 * @module
 */
import { bytesToBase64Url } from "../encoding.ts";
import type { MockUser } from "./bodies.ts";

/** Options of {@link createMockSamlAssertion}. */
export interface MockSamlAssertionOptions {
  /** `<Issuer>`. Default `"https://idp.example.com/mock"`. */
  issuer?: string;
  /** `NotBefore` of `<Conditions>`, epoch ms. Without it and `notOnOrAfter`, no `<Conditions>`. */
  notBefore?: number;
  /** `NotOnOrAfter` of `<Conditions>`, epoch ms. */
  notOnOrAfter?: number;
}

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );

/**
 * An assertion the mock's SAML2 bearer grant accepts for the user whose email is `email`: base64url
 * of an unsigned SAML 2.0 `<saml2:Assertion>` whose `<saml2:NameID>` is `email`. Pass it as the
 * `assertion` of `grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer`.
 */
export function createMockSamlAssertion(email: string, options: MockSamlAssertionOptions = {}): string {
  const id = `_${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16))).replace(/[-_]/g, "0")}`;
  const conditions =
    options.notBefore === undefined && options.notOnOrAfter === undefined
      ? ""
      : `<saml2:Conditions${
          options.notBefore === undefined ? "" : ` NotBefore="${new Date(options.notBefore).toISOString()}"`
        }${
          options.notOnOrAfter === undefined
            ? ""
            : ` NotOnOrAfter="${new Date(options.notOnOrAfter).toISOString()}"`
        }/>`;
  const xml =
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0">` +
    `<saml2:Issuer>${escapeXml(options.issuer ?? "https://idp.example.com/mock")}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escapeXml(email)}</saml2:NameID></saml2:Subject>` +
    `${conditions}</saml2:Assertion>`;
  return bytesToBase64Url(new TextEncoder().encode(xml));
}

const PREFIX = "(?:[A-Za-z_][\\w.-]{0,40}:)?";
const ROOT = new RegExp(`^<${PREFIX}Assertion[\\s>/]`);
const END = new RegExp(`</${PREFIX}Assertion\\s*>$`);
const NAME_ID = new RegExp(`<${PREFIX}NameID\\b[^<>]{0,2000}>([^<]{1,320})</${PREFIX}NameID\\s*>`);
const CONDITIONS = new RegExp(`<${PREFIX}Conditions\\b([^<>]{0,2000})>`);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return undefined;
  const standard = compact.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  try {
    const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, "="));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function attribute(attributes: string, name: string): number | undefined | "invalid" {
  const value = new RegExp(`\\b${name}\\s*=\\s*"([^"]{0,64})"`).exec(attributes)?.[1];
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? "invalid" : at;
}

/** The user an assertion names, or why it is refused (an `invalid_grant` description). */
export function samlAssertionUser(
  assertion: string,
  users: readonly MockUser[],
  now: number,
): { user: MockUser } | { problem: string } {
  const xml = decodeBase64(assertion)
    ?.replace(/^\uFEFF/, "")
    .replace(/^\s*<\?xml[^<>]{0,200}\?>/, "")
    .trim();
  if (xml === undefined) return { problem: "the assertion is not base64-encoded UTF-8" };
  if (!ROOT.test(xml) || !END.test(xml)) return { problem: "the assertion is not a SAML 2.0 Assertion" };
  const conditions = CONDITIONS.exec(xml)?.[1];
  if (conditions !== undefined) {
    const notBefore = attribute(conditions, "NotBefore");
    const notOnOrAfter = attribute(conditions, "NotOnOrAfter");
    if (notBefore === "invalid" || notOnOrAfter === "invalid") {
      return { problem: "the assertion's Conditions are malformed" };
    }
    if (notBefore !== undefined && now < notBefore) return { problem: "the assertion is not yet valid" };
    if (notOnOrAfter !== undefined && now >= notOnOrAfter) return { problem: "the assertion has expired" };
  }
  const nameId = NAME_ID.exec(xml)?.[1]
    ?.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? "")
    .trim()
    .toLowerCase();
  if (!nameId) return { problem: "the assertion has no NameID" };
  const user = users.find((u) => u.email.toLowerCase() === nameId && u.state === "active");
  return user ? { user } : { problem: "the assertion's NameID names no active user of this organization" };
}
