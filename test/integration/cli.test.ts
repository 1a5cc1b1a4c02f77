// The CLI as users run it: the built bin as a subprocess, against mocks served on 127.0.0.1.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess, startProcess } from "../../scripts/lib/process.ts";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";

const BIN = "dist/cli.js";
const home = createMockGenesys({ clientId: "right-client", clientSecret: "right-secret" });
const elsewhere = createMockGenesys({ clientId: "someone-else", clientSecret: "x" });
const noGrant = createMockGenesys({ clientId: "right-client", clientSecret: "right-secret", grantTypes: [] });
let servers: ServedMock[] = [];
let homeUrl = "";
let elsewhereUrl = "";
let noGrantUrl = "";

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error("the CLI tests run the built bin: run `npm run build` first");
  servers = await Promise.all([home, elsewhere, noGrant].map((m) => serveMockGenesys(m)));
  [homeUrl, elsewhereUrl, noGrantUrl] = servers.map((s) => s.url) as [string, string, string];
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return runProcess(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    ...(input === undefined ? {} : { input }),
  });
}

const creds = (url: string, id = "right-client", secret = "right-secret") => ({
  GENESYS_CLIENT_ID: id,
  GENESYS_CLIENT_SECRET: secret,
  GENESYS_LOGIN_URL: url,
  GENESYS_API_URL: url,
});

describe("genesys-cloud-auth CLI", () => {
  it("prints help for the CLI and for every command", async () => {
    const main = await cli(["--help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/token .*\n.*whoami .*\n.*doctor .*\n.*revoke .*\n.*mock /s);
    for (const command of ["token", "whoami", "doctor", "revoke", "mock"]) {
      const help = await cli([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: genesys-cloud-auth ${command}`);
    }
  });

  it("--version and -v print the package's version", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      const run = await cli([flag]);
      expect([run.code, run.stdout, run.stderr]).toEqual([0, `${version}\n`, ""]);
    }
  });

  it("exits 2 on an unknown command or flag", async () => {
    expect((await cli(["tokn"])).code).toBe(2);
    expect((await cli(["constructor"])).code).toBe(2);
    const bad = await cli(["token", "--jsn"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--jsn");
  });

  it("refuses the secret as a flag, saying why", async () => {
    const run = await cli(["token", "--client-secret", "abc"], creds(homeUrl));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("never taken from a flag");
    expect(run.stderr).toContain("--client-secret-stdin");
  });

  it("exits 3 naming the missing variable", async () => {
    const run = await cli(["token"], { GENESYS_CLIENT_ID: "x" });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("GENESYS_CLIENT_SECRET is not set");
  });

  it("token prints only the token; --json adds expiry and region", async () => {
    const run = await cli(["token"], creds(homeUrl));
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const response = await fetch(`${homeUrl}/api/v2/organizations/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const json = JSON.parse((await cli(["token", "--json"], creds(homeUrl))).stdout);
    expect(Object.keys(json)).toEqual(["accessToken", "expiresAt", "region"]);
  });

  it("reads the secret from stdin and variables from --env-file (the environment wins)", async () => {
    const piped = await cli(
      ["token", "--client-secret-stdin", "--client-id", "right-client"],
      { GENESYS_LOGIN_URL: homeUrl },
      "right-secret\n",
    );
    expect(piped.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "gca-cli-"));
    const file = join(dir, ".env");
    writeFileSync(
      file,
      `GENESYS_CLIENT_ID=right-client\nGENESYS_CLIENT_SECRET="right-secret"\nGENESYS_LOGIN_URL=${homeUrl}\nGENESYS_API_URL=${homeUrl}\n`,
    );
    expect((await cli(["whoami", "--env-file", file])).code).toBe(0);
    const overridden = await cli(["token", "--env-file", file], { GENESYS_CLIENT_SECRET: "wrong" });
    expect(overridden.code).toBe(1);
  });

  it("whoami shows organization, region, client, grant, roles and expiry", async () => {
    const run = await cli(["whoami"], creds(homeUrl));
    expect(run.code).toBe(0);
    for (const label of ["Organization", "Region", "OAuth client", "Grant type", "Roles", "Token expires"]) {
      expect(run.stdout).toContain(label);
    }
    expect(run.stdout).toContain("Mock Integration Role");
    const json = JSON.parse((await cli(["whoami", "--json"], creds(homeUrl))).stdout);
    expect(json.organization.name).toBe("Mock Org");
    expect(json.oauthClient.id).toBe("right-client");
  });

  it("doctor passes with good credentials", async () => {
    const run = await cli(["doctor"], creds(homeUrl));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("All checks passed.");
    expect(run.stdout).toContain("naming family: tutorial");
  });

  it("doctor finds the region that knows a 'client not found' client", async () => {
    const run = await cli(["doctor"], {
      ...creds(elsewhereUrl),
      GENESYS_CLI_REGION_LOGIN_URLS: JSON.stringify({
        "us-east-1": elsewhereUrl,
        "eu-west-1": homeUrl,
        "eu-central-1": elsewhereUrl,
      }),
    });
    console.log(`doctor transcript (wrong region):\n${run.stdout}`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("client not found");
    expect(run.stdout).toContain("the client is known in: eu-west-1.");
  });

  it("doctor explains a wrong secret, flags whitespace, and a missing grant", async () => {
    const wrong = await cli(["doctor"], {
      ...creds(homeUrl, "right-client", "wrong-secret "),
      GENESYS_CLI_REGION_LOGIN_URLS: "{}",
    });
    console.log(`doctor transcript (wrong secret):\n${wrong.stdout}`);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("authentication failed");
    expect(wrong.stdout).toMatch(/GENESYS_CLIENT_SECRET = \(13 characters\) +leading\/trailing whitespace/);
    const grant = await cli(["doctor"], creds(noGrantUrl));
    console.log(`doctor transcript (grant not enabled):\n${grant.stdout}`);
    expect(grant.code).toBe(1);
    expect(grant.stdout).toContain("unauthorized_client");
    expect(grant.stdout).toContain("Grant Type to Client Credentials");
  });

  it("revoke revokes a given token or a fresh one", async () => {
    const token = (await cli(["token"], creds(homeUrl))).stdout.trim();
    const run = await cli(["revoke"], { ...creds(homeUrl), GENESYS_ACCESS_TOKEN: token });
    expect(run.code).toBe(0);
    const after = await fetch(`${homeUrl}/api/v2/organizations/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.status).toBe(401);
    expect((await cli(["revoke", "--token-stdin"], creds(homeUrl), `${token}\n`)).code).toBe(1); // already revoked
    expect((await cli(["revoke"], creds(homeUrl))).code).toBe(0);
  });

  it("mock serves on 127.0.0.1 and prints exports that work", async () => {
    const mock = startProcess(process.execPath, [BIN, "mock", "--port", "0"]);
    const text = await mock.waitFor("GENESYS_API_URL");
    const env = Object.fromEntries([...text.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect((await cli(["whoami", "--json"], env as Record<string, string>)).code).toBe(0);
    expect(await mock.stop("SIGINT")).toBe(0);
  });

  it("colours only on a TTY, and never with NO_COLOR", async () => {
    const viaTty = async (extra: string) => {
      const env = Object.entries(creds(homeUrl))
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      // `script` gives the CLI a pseudo-terminal, as a person's shell would.
      const command = `env -u NO_COLOR -u FORCE_COLOR ${env} ${extra} ${process.execPath} ${BIN} whoami`;
      return (await runProcess("script", ["-qec", command, "/dev/null"])).stdout;
    };
    expect(await viaTty("")).toContain("\u001b[1m");
    expect(await viaTty("NO_COLOR=1")).not.toContain("\u001b[");
    expect((await cli(["whoami"], creds(homeUrl))).stdout).not.toContain("\u001b[");
  });

  it("strips terminal control sequences from server text before printing it", async () => {
    home.failNext("token", {
      status: 401,
      error: "invalid_client",
      description: "denied\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u009b1m\rover",
    });
    const run = await cli(["token"], creds(homeUrl));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("denied");
    expect(run.stderr).toContain("red");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
