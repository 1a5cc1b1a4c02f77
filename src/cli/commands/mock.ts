/** `mock`: serves the mock Genesys Cloud on 127.0.0.1 and prints the exports to point code at it. */
import { createMockGenesys, serveMockGenesys } from "../../testing/index.ts";
import { UsageError } from "../config.ts";
import { type Command, EXIT } from "../context.ts";

export const mockCommand: Command = {
  summary: "serve the mock Genesys Cloud on 127.0.0.1 and print ready-to-paste exports",
  usage: "genesys-cloud-auth mock [--port N]",
  flags: { port: { type: "string", description: "port to listen on (default: any free port)" } },
  async run({ flags, output }) {
    const port = flags.port === undefined ? 0 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError("--port must be a whole number 0-65535");
    const mock = createMockGenesys();
    const served = await serveMockGenesys(mock, { port });
    output.out(`# mock Genesys Cloud listening on ${served.url} (Ctrl-C to stop)`);
    output.out(`export GENESYS_CLIENT_ID=${mock.clientId}`);
    output.out(`export GENESYS_CLIENT_SECRET=${mock.clientSecret}`);
    output.out(`export GENESYS_LOGIN_URL=${served.url}`);
    output.out(`export GENESYS_API_URL=${served.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await served.close();
    return EXIT.ok;
  },
};
