/**
 * Genesys Cloud regions: the table keyed by AWS region name, and {@link resolveRegion}, which turns
 * whatever a user has at hand (an AWS name, a domain, an API or login URL) into hosts.
 *
 * @module
 */
import { DEFAULTS } from "./defaults.ts";
import { GenesysAuthError } from "./errors.ts";

/** One row of the region table. */
export interface RegionInfo {
  /** The AWS region name Genesys uses as the region's id, e.g. `eu-west-1`. */
  readonly id: string;
  /** The region's domain: the API host is `api.<domain>`, the login host `login.<domain>`. */
  readonly domain: string;
  /** Where the region is, for people. */
  readonly name: string;
}

/** A resolved region: its id and the base URLs of its API and login hosts (no trailing slash). */
export interface ResolvedRegion {
  /** AWS region name for a known region, otherwise the domain itself. */
  readonly id: string;
  /** The region's domain, e.g. `mypurecloud.ie`. */
  readonly domain: string;
  /** e.g. `https://api.mypurecloud.ie` */
  readonly apiUrl: string;
  /** e.g. `https://login.mypurecloud.ie` */
  readonly loginUrl: string;
}

const table: Array<[id: string, domain: string, name: string]> = [
  ["us-east-1", "mypurecloud.com", "Americas (US East, Virginia)"],
  ["us-east-2", "use2.us-gov-pure.cloud", "Americas (US East 2, FedRAMP)"],
  ["us-west-2", "usw2.pure.cloud", "Americas (US West, Oregon)"],
  ["ca-central-1", "cac1.pure.cloud", "Americas (Canada)"],
  ["sa-east-1", "sae1.pure.cloud", "Americas (São Paulo)"],
  ["mx-central-1", "mxc1.pure.cloud", "Americas (Mexico)"],
  ["eu-west-1", "mypurecloud.ie", "EMEA (Dublin, EU1)"],
  ["eu-west-2", "euw2.pure.cloud", "EMEA (London)"],
  ["eu-central-1", "mypurecloud.de", "EMEA (Frankfurt)"],
  ["eu-central-2", "euc2.pure.cloud", "EMEA (Zurich)"],
  ["eusc-de-east-1", "edee1.eusc-pure.cloud", "EMEA (EU sovereign cloud)"],
  ["me-central-1", "mec1.pure.cloud", "EMEA (UAE)"],
  ["ap-south-1", "aps1.pure.cloud", "Asia Pacific (Mumbai)"],
  ["ap-southeast-1", "apse1.pure.cloud", "Asia Pacific (Singapore)"],
  ["ap-southeast-2", "mypurecloud.com.au", "Asia Pacific (Sydney)"],
  ["ap-northeast-1", "mypurecloud.jp", "Asia Pacific (Tokyo)"],
  ["ap-northeast-2", "apne2.pure.cloud", "Asia Pacific (Seoul)"],
  ["ap-northeast-3", "apne3.pure.cloud", "Asia Pacific (Osaka)"],
];

/** Every known Genesys Cloud region, keyed by AWS region name. */
export const REGIONS: Readonly<Record<string, RegionInfo>> = Object.freeze(
  Object.fromEntries(table.map(([id, domain, name]) => [id, Object.freeze({ id, domain, name })])),
);

const byDomain = new Map(table.map(([id, domain]) => [domain, id]));

/**
 * Domains of regions not (yet) in the table: one label under Genesys' own domain families,
 * `pure.cloud`, `us-gov-pure.cloud` and `eusc-pure.cloud`. The `mypurecloud.*` domains Genesys uses
 * are all in the table: a look-alike such as `mypurecloud.co` is anyone's to register.
 */
const GENESYS_DOMAIN = /^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:us-gov-|eusc-)?pure\.cloud$/;

/** What an unknown region's error suggests. */
const REGION_HINT = `Give the region as an AWS region name (e.g. eu-west-1), its domain (mypurecloud.ie) or its API URL (https://api.mypurecloud.ie). Known regions: ${table.map(([id]) => id).join(", ")}.`;

/** Longer input is no region (a host name has at most 253 characters); it is refused unread. */
const MAX_INPUT = 256;

/** Host prefixes that name a service of a region rather than the region itself. */
const SERVICE_PREFIX = /^(?:api|login|apps)\./;

function resolved(id: string, domain: string): ResolvedRegion {
  return { id, domain, apiUrl: `https://api.${domain}`, loginUrl: `https://login.${domain}` };
}

/** The host named by `input` when it is a URL or a bare host (`api.x`, `x:443`), lower-cased. */
function hostOf(input: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(input) ? input : `https://${input}`;
  try {
    const url = new URL(withScheme);
    return url.hostname.replace(/\.$/, "") || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves a region given as an AWS region name (`eu-west-1`), a domain (`mypurecloud.ie`), a
 * host (`api.mypurecloud.ie`) or a URL (`https://api.mypurecloud.ie`, the tutorial's
 * `GENESYS_ENV_URL`). Well-formed Genesys domains missing from {@link REGIONS} are accepted.
 *
 * @throws {GenesysAuthError} `invalid_config`, with a "did you mean" hint, for anything else.
 */
export function resolveRegion(input: string = DEFAULTS.region): ResolvedRegion {
  const text = String(input);
  if (text.length > MAX_INPUT) {
    throw new GenesysAuthError(
      "invalid_config",
      `Unknown Genesys Cloud region: the value is ${text.length} characters long, which no region is.`,
      { hint: REGION_HINT },
    );
  }
  const value = text.trim().toLowerCase();
  const known = Object.hasOwn(REGIONS, value) ? REGIONS[value] : undefined; // never "__proto__" & co.
  if (known) return resolved(known.id, known.domain);

  const host = value === "" ? undefined : hostOf(value);
  const domain = host?.replace(SERVICE_PREFIX, "");
  if (domain !== undefined) {
    const id = byDomain.get(domain);
    if (id !== undefined) return resolved(id, domain);
    if (GENESYS_DOMAIN.test(domain)) return resolved(domain, domain);
  }
  // The value is never quoted: it may be a secret pasted into the wrong variable.
  const suggestion = suggestRegion(domain ?? value);
  throw new GenesysAuthError(
    "invalid_config",
    `Unknown Genesys Cloud region: not a known AWS region name, nor a Genesys domain or API URL.${suggestion ? ` Did you mean ${suggestion}?` : ""}`,
    { hint: `${suggestion ? `Did you mean ${suggestion}? ` : ""}${REGION_HINT}` },
  );
}

/** Common mistakes, mapped to the region they meant. */
const ALIASES: Array<[RegExp, string]> = [
  [/(^|\.)eu\.mypurecloud\.|^eu1?$|mypurecloud\.eu$/, "eu-west-1"],
  [/^us1?$|^us-east$|mypurecloud\.us$/, "us-east-1"],
  [/^(de|fra|frankfurt)$/, "eu-central-1"],
  [/^(uk|london)$/, "eu-west-2"],
  [/^(au|sydney)$/, "ap-southeast-2"],
  [/^(jp|tokyo)$/, "ap-northeast-1"],
];

function describe(id: string): string {
  const region = REGIONS[id];
  return region ? `${region.id} (${region.domain})` : id;
}

/** The closest known region to a wrong input, as `id (domain)`, or undefined if none is close. */
function suggestRegion(input: string): string | undefined {
  const value = input.trim().toLowerCase();
  for (const [pattern, id] of ALIASES) if (pattern.test(value)) return describe(id);
  // A known domain with more around it (mypurecloud.ie.example.com): the region it imitates.
  const inside = table.find(([, domain]) => value.includes(domain));
  if (inside) return describe(inside[0]);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [id, domain] of table) {
    for (const candidate of [id, domain]) {
      const distance = editDistance(value, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = id;
      }
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 4))
    ? describe(best)
    : undefined;
}

/** Levenshtein distance, for suggestions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
