// The CLI against a hostile Genesys: names that forge lines, reorder text or echo the bearer back,
// JSON output a terminal would act on, and a region scan that must not spread the secret.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../scripts/lib/process.ts";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";
import { type HostileServer, hostileServer } from "../support/hostile-server.ts";

const BIN = "dist/cli.js";
const ID = "hostile-cli-client";
const SECRET = "hostile-cli-secret-value";
/** Line break, a forged check line, a right-to-left override, a zero-width space and a C1 control. */
const FORGED = "Acme\n✔ FORGED check\u202egnp.exe\u200b\u0085x";

let echo: HostileServer;
let home: ServedMock;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error("the CLI tests run the built bin: run `npm run build` first");
  const mock = createMockGenesys({ clientId: ID, clientSecret: SECRET });
  home = await serveMockGenesys(mock);
  // Issues tokens like Genesys, and answers every API call with the bearer it was sent, in a name.
  echo = await hostileServer(async (req, res) => {
    if (req.url === "/oauth/token") {
      const answer = await mock.fetch(`https://login.mypurecloud.com/oauth/token`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: req.body,
      });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(await answer.text());
      return;
    }
    const bearer = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: `org-${bearer}`,
        name: `${FORGED} ${bearer}`,
        OAuthClient: { id: ID, name: `client ${bearer}` },
        authorizedScope: [bearer],
      }),
    );
  });
});
afterAll(() => Promise.all([echo.close(), home.close()]));

function cli(args: string[], env: Record<string, string>) {
  return runProcess(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
}

const creds = (url: string, secret = SECRET) => ({
  GENESYS_CLIENT_ID: ID,
  GENESYS_CLIENT_SECRET: secret,
  GENESYS_LOGIN_URL: url,
  GENESYS_API_URL: url,
});

/** The bearers the echo server was sent. */
const bearers = () =>
  echo.received
    .map((r) => String(r.headers.authorization ?? ""))
    .filter((value) => value.startsWith("Bearer "))
    .map((value) => value.slice(7));

describe("the CLI against a server that forges and echoes", () => {
  it("whoami and doctor print server names on one line, visible, with the echoed bearer redacted", async () => {
    for (const command of ["whoami", "doctor"]) {
      const run = await cli([command], creds(echo.url));
      const printed = run.stdout + run.stderr;
      expect(printed).toContain("Acme");
      expect(printed).not.toMatch(/^\s*✔ FORGED/m);
      expect(printed).not.toMatch(/[\u200b\u202e\u0085]/);
      expect(bearers().length).toBeGreaterThan(0);
      for (const bearer of bearers()) expect(printed).not.toContain(bearer);
      expect(printed).not.toContain(SECRET);
    }
  });

  it("whoami --json escapes what a terminal would act on, and stays the same JSON", async () => {
    const run = await cli(["whoami", "--json"], creds(echo.url));
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e]/);
    const parsed = JSON.parse(run.stdout) as { organization: { name: string } };
    expect(parsed.organization.name.startsWith(FORGED)).toBe(true);
    for (const bearer of bearers()) expect(run.stdout).not.toContain(bearer);
  });
});

describe("doctor's region scan", () => {
  it("asks the other regions with a made-up secret: the real one only goes to the configured region", async () => {
    const elsewhere = await hostileServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_client", error_description: "authentication failed" }));
    });
    const notHere = await hostileServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_client", error_description: "client not found" }));
    });
    try {
      const run = await cli(["doctor"], {
        ...creds(notHere.url),
        GENESYS_CLI_REGION_LOGIN_URLS: JSON.stringify({
          "eu-west-1": elsewhere.url,
          "us-east-1": notHere.url,
        }),
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("the client is known in: eu-west-1.");
      const secretIn = (server: HostileServer) =>
        server.received.filter((r) => {
          const basic = String(r.headers.authorization ?? "").replace(/^Basic /, "");
          return `${Buffer.from(basic, "base64").toString("utf8")} ${r.body}`.includes(SECRET);
        }).length;
      expect(secretIn(elsewhere)).toBe(0);
      expect(elsewhere.received.length).toBe(1);
      expect(secretIn(notHere)).toBe(1); // the configured region's token request, and only that
    } finally {
      await Promise.all([elsewhere.close(), notHere.close()]);
    }
  });

  it("refuses a test hook that points anywhere but loopback", async () => {
    for (const hook of ['{"eu-west-1":"https://login.example.com"}', "not json", '{"x":1}']) {
      const run = await cli(["doctor"], {
        ...creds(home.url, "a-wrong-secret"),
        GENESYS_CLIENT_ID: "unknown-client",
        GENESYS_CLI_REGION_LOGIN_URLS: hook,
      });
      expect(run.stdout + run.stderr, run.stdout + run.stderr).toContain(
        "GENESYS_CLI_REGION_LOGIN_URLS must be",
      );
      expect(run.code).toBe(3);
    }
  });
});

describe("credentials typed where they do not belong", () => {
  const token = "eyJhbGciOiJIUzI1NiJ9.a-token-pasted-by-mistake-0123456789";

  it("a token given as an argument or as a command is refused without being quoted", async () => {
    for (const args of [["revoke", token], [token], ["token", "--json", token]]) {
      const run = await cli(args, creds(home.url));
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).not.toContain(token);
    }
  });

  it("doctor shows a variable's value only when it is what it should be", async () => {
    const run = await cli(["doctor"], {
      ...creds(home.url),
      GENESYS_CLIENT_ID: SECRET, // a secret pasted as the id
      GENESYS_LOGIN_URL: "https://user:pa55word@login.mypurecloud.com",
      GENESYS_API_URL: "http://127.0.0.1:1",
    });
    expect(run.stdout).toMatch(/GENESYS_CLIENT_ID = \(\d+ characters\)/);
    expect(run.stdout).toMatch(/GENESYS_LOGIN_URL = \(\d+ characters\)/);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain("pa55word");
  });
});
