// Serves the mock Genesys Cloud in its own process (for benchmarks: the client's process measures
// only the client). Prints the URL, then the issued token count on SIGTERM.
import { createMockGenesys, serveMockGenesys } from "../dist/testing.js";

const mock = createMockGenesys();
const served = await serveMockGenesys(mock);
console.log(JSON.stringify({ url: served.url, clientId: mock.clientId, clientSecret: mock.clientSecret }));
process.on("SIGTERM", async () => {
  await served.close();
  process.exit(0);
});
