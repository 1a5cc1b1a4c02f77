// `login`, `token --user` and `logout` as people run them: the built bin as a subprocess, against the
// mock served on 127.0.0.1, the browser played by this test (the authorize redirect followed by hand).
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/ports.ts";
import { runProcess, type Service, startProcess } from "../../scripts/lib/process.ts";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";

const BIN = "dist/cli.js";
const mock = createMockGenesys();
let served: ServedMock;
let mockUrl = "";
const running: Service[] = [];

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error("the CLI tests run the built bin: run `npm run build` first");
  served = await serveMockGenesys(mock);
  mockUrl = served.url;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});
afterAll(() => served.close());

/** A person's machine: a home and config directory of its own, the PKCE client, the mock's hosts. */
function machine(extra: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), "gca-login-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    GENESYS_CLIENT_ID: mock.pkceClient.id,
    GENESYS_CLIENT_SECRET: " ", // blank: fromEnv would refuse it; a public client's sign-in never reads it
    GENESYS_LOGIN_URL: mockUrl,
    GENESYS_API_URL: mockUrl,
    ...extra,
  };
  const dir = join(home, "config", "genesys-cloud-auth");
  const file = join(dir, `user-us-east-1-${mock.pkceClient.id}.json`);
  return { home, env, dir, file };
}

type Machine = ReturnType<typeof machine>;

function cli(m: Machine, args: string[]) {
  return runProcess(process.execPath, [BIN, ...args], { env: m.env, timeoutMs: 15_000 });
}

/** Starts `login` on a free port registered on the PKCE client; resolves once it printed the sign-in address. */
async function startLogin(m: Machine, args: string[] = ["--no-browser"], port?: number) {
  const chosen = port ?? (await freePort());
  const redirectUri = `http://localhost:${chosen}/callback`;
  mock.addRedirectUri(mock.pkceClient.id, redirectUri);
  const service = startProcess(process.execPath, [BIN, "login", "--port", String(chosen), ...args], {
    env: m.env,
  });
  running.push(service);
  const out = await service.waitFor(/^ {2}http\S+$/m, 15_000);
  const authorize = (/^ {2}(http\S+\/oauth\/authorize\?\S+)$/m.exec(out) as RegExpExecArray)[1] as string;
  return { service, authorize, redirectUri, port: chosen };
}

/** The browser at the login page: the mock approves and redirects to the CLI's loopback callback. */
async function approve(authorize: string): Promise<string> {
  const response = await fetch(authorize, { redirect: "manual" });
  expect(response.status).toBe(302);
  return response.headers.get("location") as string;
}

async function signIn(m: Machine) {
  const login = await startLogin(m);
  const callback = await approve(login.authorize);
  const page = await fetch(callback);
  const code = await login.service.exited();
  return { ...login, callback, page, code, out: login.service.output() };
}

const usersMe = (token: string) =>
  fetch(`${mockUrl}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });

/** Base64url runs as long as a code verifier (86) or a token (64): none may be printed. */
const LONG_SECRET = /[A-Za-z0-9_-]{60,}/;

describe("genesys-cloud-auth login / token --user / logout", () => {
  it("signs in through the loopback redirect, keeps a private file, prints the token, logs out", async () => {
    const m = machine();
    const login = await signIn(m);
    expect(login.code).toBe(0);
    expect(login.page.status).toBe(200);
    expect(await login.page.text()).toContain("You are signed in");
    expect(login.out).toContain(
      "Signed in as Mock User 1 <mock.user1@example.com>, organization Mock Org (us-east-1).",
    );
    expect(login.out).toContain(`Token saved in ${m.file}`);
    expect(mock.lastAuthorize?.codeChallengeMethod).toBe("S256");
    expect(mock.lastAuthorize?.redirectUri).toBe(login.redirectUri);
    const code = new URL(login.callback).searchParams.get("code") as string;
    expect(login.out).not.toContain(code);
    expect(login.out).not.toMatch(LONG_SECRET);

    expect(statSync(m.file).mode & 0o777).toBe(0o600);
    expect(statSync(m.dir).mode & 0o777).toBe(0o700);

    const token = await cli(m, ["token", "--user"]);
    expect([token.code, token.stderr]).toEqual([0, ""]);
    const accessToken = token.stdout.trim();
    expect(login.out).not.toContain(accessToken);
    expect((await usersMe(accessToken)).status).toBe(200);
    const json = JSON.parse((await cli(m, ["token", "--user", "--json"])).stdout);
    expect(Object.keys(json)).toEqual(["accessToken", "expiresAt", "region"]);
    expect(json.region).toBe("us-east-1");

    const logout = await cli(m, ["logout"]);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain("Revoked the token.");
    expect(logout.stdout).toContain(`${mockUrl}/logout?client_id=${mock.pkceClient.id}`);
    expect(logout.stdout + logout.stderr).not.toContain(accessToken);
    expect(existsSync(m.file)).toBe(false);
    expect((await usersMe(accessToken)).status).toBe(401);

    const after = await cli(m, ["token", "--user"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("error (login_required): No one is signed in");
    expect(after.stderr).toContain("genesys-cloud-auth login");
    expect((await cli(m, ["logout"])).code).toBe(0); // nothing to do is not a failure
  });

  it("the callback server answers GET /callback only, bounds requests, refuses a second answer and closes", async () => {
    const m = machine();
    const login = await startLogin(m);
    const base = `http://localhost:${login.port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${base}/callback`, { method: "POST", body: "code=x" })).status).toBe(405);
    const huge = await fetch(`${base}/callback?code=${"x".repeat(20_000)}`).catch(() => undefined);
    expect(huge === undefined || huge.status === 431).toBe(true);
    const empty = await fetch(`${base}/callback`);
    expect(empty.status).toBe(400);
    expect(empty.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(empty.headers.get("referrer-policy")).toBe("no-referrer");

    const callback = await approve(login.authorize);
    const statuses = await Promise.all(
      [1, 2, 3].map(() =>
        fetch(callback).then(
          (r) => r.status,
          () => "closed",
        ),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1); // one answer is taken
    expect(statuses.filter((status) => status !== 200).every((s) => s === 409 || s === "closed")).toBe(true);
    expect(await login.service.exited()).toBe(0);
    await expect(fetch(callback)).rejects.toThrow(); // closed: nothing listens any more
  });

  it("refuses an answer whose state is not this sign-in's and keeps waiting for the real one", async () => {
    const m = machine();
    const login = await startLogin(m);
    const callback = await approve(login.authorize);
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state-from-another-tab");
    const refused = await fetch(forged);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("does not belong to the sign-in");
    const deniedForged = new URL(callback);
    deniedForged.search = "?error=access_denied&state=other";
    expect((await fetch(deniedForged)).status).toBe(400); // state first: not this sign-in's refusal either
    expect((await fetch(callback)).status).toBe(200);
    expect(await login.service.exited()).toBe(0);
    expect(existsSync(m.file)).toBe(true);
  });

  it("reports access_denied, escaping the login page's text in the browser's answer", async () => {
    const m = machine();
    const login = await startLogin(m);
    mock.failNext("authorize", { error: "access_denied", description: '<script>alert("x")</script>' });
    const page = await fetch(await approve(login.authorize));
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(await login.service.exited()).toBe(1);
    expect(login.service.errorOutput()).toContain("error (access_denied): The sign-in was refused");
    expect(existsSync(m.file)).toBe(false);
  });

  it("gives up after --timeout seconds, and frees the port", async () => {
    const m = machine();
    const started = Date.now();
    const login = await startLogin(m, ["--no-browser", "--timeout", "1"]);
    expect(await login.service.exited()).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const port = createServer();
    await new Promise<void>((resolve, reject) => {
      port.once("error", reject);
      port.listen(login.port, "127.0.0.1", resolve);
    });
    await new Promise((resolve) => port.close(resolve));
  });

  it("stops cleanly on Ctrl-C (exit 130)", async () => {
    const login = await startLogin(machine());
    expect(await login.service.stop("SIGINT")).toBe(130);
  });

  it("says so when the port is taken", async () => {
    const port = await freePort();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(port, "127.0.0.1", resolve));
    try {
      const run = await cli(machine(), ["login", "--no-browser", "--port", String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
      expect(run.stderr).toContain("--port");
      expect(run.stdout).not.toContain("oauth/authorize"); // nothing to open when nothing listens
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("refuses bad --port and --timeout values (exit 2) and needs only a client id", async () => {
    const m = machine();
    for (const args of [
      ["--port", "http"],
      ["--port", "0"],
      ["--port", "70000"],
      ["--timeout", "0"],
    ]) {
      const run = await cli(m, ["login", "--no-browser", ...args]);
      expect(run.code).toBe(2);
    }
    const noClient = await cli(machine({ GENESYS_CLIENT_ID: "" }), ["login", "--no-browser"]);
    expect(noClient.code).toBe(3);
    expect(noClient.stderr).toContain("GENESYS_CLIENT_ID is set but empty");
    const withSecretFlag = await cli(m, ["token", "--user", "--client-secret-stdin"]);
    expect(withSecretFlag.code).toBe(2);
  });

  it("refuses an expired stored token with a hint to sign in again", async () => {
    const m = machine();
    expect((await signIn(m)).code).toBe(0);
    const stored = JSON.parse(readFileSync(m.file, "utf8"));
    stored.entry.i = Date.now() - 7_200_000;
    stored.entry.e = Date.now() - 3_600_000;
    writeFileSync(m.file, JSON.stringify(stored));
    const run = await cli(m, ["token", "--user"]);
    expect([run.code, run.stdout]).toEqual([1, ""]);
    expect(run.stderr).toContain("error (login_required): The signed-in user's token expired");
    expect(run.stderr).toContain("hint: Run `genesys-cloud-auth login`");
    const logout = await cli(m, ["logout"]); // nothing to revoke: the file goes
    expect(logout.code).toBe(0);
    expect(existsSync(m.file)).toBe(false);
  });

  it("treats a damaged, foreign, shared or linked token file as an error with a hint, never a crash", async () => {
    const m = machine();
    expect((await signIn(m)).code).toBe(0);
    const good = readFileSync(m.file, "utf8");
    const stored = JSON.parse(good);
    const cases: Array<[string, () => void, string]> = [
      ["garbage", () => writeFileSync(m.file, "\u0000{not json"), "is not JSON"],
      [
        "no token",
        () => writeFileSync(m.file, JSON.stringify({ ...stored, entry: { ...stored.entry, t: 42 } })),
        "not a valid token file",
      ],
      ["an array", () => writeFileSync(m.file, "[]"), "not a valid token file"],
      [
        "__proto__",
        () => writeFileSync(m.file, good.replace('"format"', '"__proto__": {"v": 1}, "format"')),
        "",
      ],
      [
        "another client",
        () => writeFileSync(m.file, JSON.stringify({ ...stored, clientId: "someone-else" })),
        "belongs to another sign-in",
      ],
      [
        "another host",
        () => writeFileSync(m.file, JSON.stringify({ ...stored, apiUrl: "https://api.mypurecloud.com" })),
        "belongs to another sign-in",
      ],
      ["too open", () => chmodSync(m.file, 0o644), "can be read or written by other users"],
    ];
    for (const [name, damage, message] of cases) {
      writeFileSync(m.file, good, { mode: 0o600 });
      chmodSync(m.file, 0o600);
      damage();
      const run = await cli(m, ["token", "--user"]);
      if (name === "__proto__") {
        expect(run.code, name).toBe(0); // an own "__proto__" key is just an unknown field
        continue;
      }
      expect(run.code, name).toBe(1);
      expect(run.stdout, name).toBe("");
      expect(run.stderr, name).toContain(message);
      expect(run.stderr, name).toContain("hint: ");
      expect(run.stderr, name).not.toMatch(/TypeError|SyntaxError|\n\s+at /);
    }
    const target = join(m.home, "elsewhere.json");
    writeFileSync(target, good, { mode: 0o600 });
    rmSync(m.file);
    symlinkSync(target, m.file);
    const linked = await cli(m, ["token", "--user"]);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toContain("is not a regular file");
    const logout = await cli(m, ["logout"]);
    expect(logout.code).toBe(0);
    expect(logout.stderr).toContain("deleted without revoking");
    expect(existsSync(m.file)).toBe(false);
    expect(existsSync(target)).toBe(true); // the link went, not what it pointed at
  });

  it.runIf(process.platform === "linux")(
    "opens the system browser with the address as one argument, or prints it when there is none",
    async () => {
      const bin = mkdtempSync(join(tmpdir(), "gca-opener-"));
      const record = join(bin, "args");
      writeFileSync(
        join(bin, "xdg-open"),
        `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "$0.tmp" && /bin/mv "$0.tmp" ${JSON.stringify(record)}\n`,
        { mode: 0o755 },
      );
      const m = machine({ PATH: bin });
      const login = await startLogin(m, []);
      expect(login.service.output()).toContain("Opening the browser to sign in");
      for (let i = 0; i < 100 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(record, "utf8")).toBe(`${login.authorize}\n`);
      await fetch(await approve(login.authorize));
      expect(await login.service.exited()).toBe(0);

      const none = mkdtempSync(join(tmpdir(), "gca-no-opener-"));
      mkdirSync(join(none, "empty"));
      const without = await startLogin(machine({ PATH: join(none, "empty") }), ["--timeout", "1"]);
      expect(without.service.output()).toContain("Open this address in a browser to sign in:");
      expect(await without.service.exited()).toBe(1);
    },
  );

  it("documents the commands and the redirect URI to register", async () => {
    const m = machine();
    const main = await cli(m, ["--help"]);
    expect(main.stdout).toMatch(/login +sign a person in/);
    expect(main.stdout).toMatch(/logout +revoke the signed-in user's token/);
    const help = await cli(m, ["login", "--help"]);
    expect(help.stdout).toContain("http://localhost:<port>/callback (default port 8765)");
    expect(help.stdout).toContain("registered exactly");
    expect(help.stdout).toContain("--no-browser");
    expect((await cli(m, ["token", "--help"])).stdout).toContain("--user");
    expect((await cli(m, ["logout", "--help"])).stdout).toContain("Usage: genesys-cloud-auth logout");
  });
});
