// Type-checked as a `module: node16` ES module consumer.
import { createAuth, createClient, type GenesysHTTPError } from "genesys-cloud-auth";

const auth = createAuth({ clientId: "id", clientSecret: "secret", region: "eu-west-1" });
const api = createClient({ auth, retry: { limit: 1 } });
export const correlation = (error: GenesysHTTPError): string | undefined => error.correlationId;
export const call = (): Promise<unknown> => api.get("api/v2/organizations/me").json();
