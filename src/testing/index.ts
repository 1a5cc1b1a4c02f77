/**
 * `genesys-cloud-auth/testing`: a mock Genesys Cloud to test against, in process (`mock.fetch`),
 * in any server runtime (`mock.handler`) or over loopback HTTP (`serveMockGenesys`).
 *
 * @module
 */

export type { MockRoute } from "./api.ts";
export type { GenesysErrorBody, MockUser } from "./bodies.ts";
export { apiErrorBody, oauthErrorBody } from "./bodies.ts";
export type { MockFault, MockTarget } from "./faults.ts";
export { createMockGenesys, type MockGenesys, type MockGenesysOptions, type MockStats } from "./mock.ts";
export { type ServedMock, serveMockGenesys } from "./serve.ts";
