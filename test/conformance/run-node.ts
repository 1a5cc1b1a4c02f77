import { runCases } from "./cases.ts";

const label = `node-${process.versions.node}`;
const { failed } = await runCases(label, (line) => console.log(line));
process.exitCode = failed === 0 ? 0 : 1;
