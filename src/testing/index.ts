/**
 * `genesys-cloud-auth/testing`: a mock Genesys Cloud to test against, in process (`mock.fetch`),
 * in any server runtime (`mock.handler`) or over loopback HTTP (`serveMockGenesys`).
 *
 * @module
 */

export type { MockRoute } from "./api.js";
export type { MockUser } from "./bodies.js";
export { apiErrorBody, oauthErrorBody } from "./bodies.js";
export type { MockFault, MockTarget } from "./faults.js";
export { createMockGenesys, type MockGenesys, type MockGenesysOptions, type MockStats } from "./mock.js";
export { type ServedMock, serveMockGenesys } from "./serve.js";
