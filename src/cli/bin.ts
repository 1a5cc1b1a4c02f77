#!/usr/bin/env node
/**
 * The `genesys-cloud-auth` command line: `token`, `whoami`, `doctor`, `revoke`, `login`, `logout`, `mock`.
 *
 * @module
 */
import { main } from "./main.ts";

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
