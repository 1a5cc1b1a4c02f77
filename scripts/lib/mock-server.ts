/**
 * The mock Genesys Cloud of the built package (dist/testing.js) served on 127.0.0.1 for code that runs
 * in other processes and runtimes, with the environment that points such code at it. `route` answers
 * extra paths first (the pages and scripts of browser runs).
 */
import type * as Testing from "../../src/testing/index.ts";
import { ROOT } from "./paths.ts";

/** The served mock. */
export interface ServedMock {
  mock: Testing.MockGenesys;
  url: string;
  /** GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_LOGIN_URL and GENESYS_API_URL for the mock. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Serves a fresh mock (made with `options`); `route` may answer a path before the mock does. */
export async function serveMock(
  route?: (pathname: string) => Response | undefined,
  options?: Testing.MockGenesysOptions,
): Promise<ServedMock> {
  const testing = (await import(`${ROOT}dist/testing.js`)) as typeof Testing;
  const mock = testing.createMockGenesys(options);
  const served = await testing.serveMockGenesys({
    handler: async (request: Request) => route?.(new URL(request.url).pathname) ?? mock.handler(request),
  });
  return {
    mock,
    url: served.url,
    env: {
      GENESYS_CLIENT_ID: mock.clientId,
      GENESYS_CLIENT_SECRET: mock.clientSecret,
      GENESYS_LOGIN_URL: served.url,
      GENESYS_API_URL: served.url,
    },
    close: () => served.close(),
  };
}
