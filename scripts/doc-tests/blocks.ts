/**
 * The fenced code blocks of a Markdown file, with what their info strings ask for (the convention is
 * described at the top of scripts/doc-tests.ts).
 */

/** Where TypeScript blocks can run. */
export const RUNTIMES = ["node", "deno", "bun", "worker", "browser"] as const;
export type Runtime = (typeof RUNTIMES)[number];
/** Runtimes whose blocks may be services (a process that keeps running: ```ts node service). */
export const SERVICE_RUNTIMES = ["node", "bun", "deno"] as const;

/** One fenced block. */
export interface Block {
  /** Line of the opening fence (1-based). */
  line: number;
  info: string;
  lang: string;
  /** Runtimes a `ts` block names; ["sh"] for a shell block. */
  runtimes: Array<Runtime | "sh">;
  /** Marked `no-run`: never run, counted. */
  noRun: boolean;
  /** `sh service`, `ts node service`…: one long-running program (a server). */
  service: boolean;
  /** Why the info string cannot be run (unknown language or word, no runtime); undefined when it can. */
  problem?: string;
  code: string;
}

/** Reads an info string: its language, runtimes and modifiers. */
function readInfo(info: string): Omit<Block, "line" | "info" | "code"> {
  const [lang = "", ...words] = info.split(/\s+/).filter(Boolean);
  const noRun = words.includes("no-run");
  const rest = words.filter((w) => w !== "no-run");
  const base = { lang, noRun, service: false, runtimes: [] };
  if (noRun) return base;
  if (lang === "sh") {
    const unknown = rest.filter((w) => w !== "service");
    return {
      ...base,
      runtimes: ["sh"],
      service: rest.includes("service"),
      ...(unknown.length ? { problem: `unknown word(s) ${unknown.join(" ")} after sh` } : {}),
    };
  }
  if (lang === "ts") {
    const service = rest.includes("service");
    const named = rest.filter((w) => w !== "service");
    const unknown = named.filter((w) => !(RUNTIMES as readonly string[]).includes(w));
    const runtimes = named.filter((w): w is Runtime => (RUNTIMES as readonly string[]).includes(w));
    const ts = { ...base, runtimes, service };
    if (unknown.length) return { ...ts, problem: `unknown runtime(s) ${unknown.join(" ")}` };
    if (!runtimes.length)
      return { ...ts, problem: `name a runtime (${RUNTIMES.join(", ")}) or mark it no-run` };
    const notProcess = runtimes.filter((r) => !(SERVICE_RUNTIMES as readonly string[]).includes(r));
    if (service && notProcess.length)
      return {
        ...ts,
        problem: `service is for ${SERVICE_RUNTIMES.join(", ")} blocks, not ${notProcess.join(" ")}`,
      };
    return ts;
  }
  return { ...base, problem: `"${info}" is not runnable: use ts <runtime…> or sh, or mark it no-run` };
}

/** Every fenced block of `markdown`. */
export function extractBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const fence = open[1] ?? "```";
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence) && l.trim() === fence);
    const close = end < 0 ? lines.length : end;
    const info = (open[2] ?? "").trim();
    blocks.push({ line: i + 1, info, ...readInfo(info), code: `${lines.slice(i + 1, close).join("\n")}\n` });
    i = close;
  }
  return blocks;
}
