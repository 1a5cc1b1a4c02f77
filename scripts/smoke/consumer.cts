// Type-checked as a `module: node16` CommonJS consumer (skipLibCheck off): the .d.cts must not
// import ESM-only packages.
import { createAuth, createClient, GenesysAuthError, HTTPError } from "genesys-cloud-auth";
import { createMockGenesys } from "genesys-cloud-auth/testing";

const mock = createMockGenesys();
const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
const api = createClient({ auth });
export const check = (error: unknown): boolean =>
  error instanceof HTTPError || (error instanceof GenesysAuthError && error.code === "invalid_client");
export const call = (): Promise<{ name: string }> =>
  api.get("api/v2/organizations/me").json<{ name: string }>();
