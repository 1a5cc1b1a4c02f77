// The conformance suite inside workerd: GET / runs every case and answers the results as JSON.
import { runCases } from "./cases.ts";

export default {
  async fetch(): Promise<Response> {
    const lines: string[] = [];
    const result = await runCases("workerd", (line) => lines.push(line));
    return Response.json({ ...result, lines });
  },
};
