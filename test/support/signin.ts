/**
 * Server sign-in helpers for tests: a code flow on a mock with a controllable clock, and a sign-in
 * driven through the mock's authorize endpoint (the 302 followed by hand).
 */
import {
  type AuthEvent,
  type CodeFlow,
  type CreateCodeFlowOptions,
  type CreateSaml2BearerAuthOptions,
  createCodeFlow,
  createSaml2BearerAuth,
  type GenesysAuth,
} from "../../src/index.ts";
import { createMockGenesys, type MockGenesys, type MockGenesysOptions } from "../../src/testing/index.ts";

/** A mock clock that tests move by hand. */
export interface Clock {
  t: number;
  readonly now: () => number;
}

/** A clock starting at a fixed moment. */
export function clock(start = 1_800_000_000_000): Clock {
  const c = { t: start, now: () => c.t };
  return c;
}

/** A mock with `tokenLifetimeSeconds` on `time`, and a code flow against it in process. */
export function codeFlowOn(
  time: Clock,
  mockOptions: MockGenesysOptions = {},
  flowOptions: Partial<CreateCodeFlowOptions> = {},
  events: AuthEvent[] = [],
  mock: MockGenesys = createMockGenesys({ tokenLifetimeSeconds: 3600, now: time.now, ...mockOptions }),
): { mock: MockGenesys; flow: CodeFlow; events: AuthEvent[] } {
  const flow = createCodeFlow({
    clientId: mock.codeClient.id,
    clientSecret: mock.codeClient.secret,
    redirectUri: mock.codeClient.redirectUris[0] as string,
    loginUrl: "http://127.0.0.1:1",
    apiUrl: "http://127.0.0.1:1",
    fetch: mock.fetch,
    now: time.now,
    onEvent: (e) => events.push(e),
    ...flowOptions,
  });
  return { mock, flow, events };
}

/** A SAML2 bearer auth on `mock`'s SAML2 client (in process unless `options` say otherwise). */
export function saml2AuthOn(
  mock: MockGenesys,
  subject: string,
  assertion: () => string | Promise<string>,
  options: Partial<CreateSaml2BearerAuthOptions> = {},
): GenesysAuth {
  return createSaml2BearerAuth({
    clientId: mock.saml2Client.id,
    clientSecret: mock.saml2Client.secret,
    orgName: mock.orgName,
    subject,
    assertion,
    loginUrl: "http://127.0.0.1:1",
    apiUrl: "http://127.0.0.1:1",
    fetch: mock.fetch,
    ...options,
  });
}

/** Follows `url` to the mock's authorize endpoint and answers the callback URL it redirects to. */
export async function authorize(mock: MockGenesys, url: string): Promise<string> {
  const response = await mock.fetch(url, { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || location === null) throw new Error(`authorize answered ${response.status}`);
  return location;
}

/** A full sign-in: authorization URL → mock authorize → exchange. */
export async function signIn(mock: MockGenesys, flow: CodeFlow, appState?: string) {
  const { url, state } = await flow.authorizationUrl(appState === undefined ? {} : { state: appState });
  return flow.exchange(await authorize(mock, url), { state });
}
