/**
 * `genesys-cloud-auth/testing`: a mock Genesys Cloud to test against, in process (`mock.fetch`),
 * in any server runtime (`mock.handler`) or over loopback HTTP (`serveMockGenesys`): client
 * credentials, user sign-in (authorize + code + PKCE, refresh tokens, SAML2 bearer, logout) and a
 * few platform API endpoints, with scripted failures.
 *
 * @module
 */

export type { GenesysErrorBody, MockUser } from "./bodies.ts";
export { apiErrorBody, oauthErrorBody } from "./bodies.ts";
export type { MockFault, MockTarget } from "./faults.ts";
export { createMockGenesys, type MockGenesys } from "./mock.ts";
export type {
  MockCodeClient,
  MockCodeClientOptions,
  MockGenesysOptions,
  MockPkceClient,
  MockPkceClientOptions,
  MockSaml2Client,
  MockSaml2ClientOptions,
} from "./options.ts";
export { createMockSamlAssertion, type MockSamlAssertionOptions } from "./saml.ts";
export { type ServedMock, serveMockGenesys } from "./serve.ts";
export type {
  MockAuthorizeRequest,
  MockLoginPageOptions,
  MockRefreshTokenMode,
  MockRoute,
  MockStats,
} from "./types.ts";
