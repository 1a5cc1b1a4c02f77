/**
 * Terminal output for the CLI: colour only on a TTY without `NO_COLOR`, a spinner only on a TTY,
 * aligned key/value tables.
 *
 * @module
 */

/** Where the CLI writes, and what it can do there. */
export interface Output {
  out(line?: string): void;
  err(line?: string): void;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  /**
   * Passes every later line through `redact` too: a command that holds credentials hides them even
   * where a hostile server echoed them back into a name or a message.
   */
  hide(redact: ((text: string) => string) | undefined): void;
  /** Runs `task` with a spinner labelled `label` on a TTY (plain otherwise). */
  step<T>(label: string, task: () => Promise<T>): Promise<T>;
}

interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Output on the given streams; colour and spinner follow `stdout`'s TTY-ness and `NO_COLOR`. */
export function createOutput(
  stdout: Stream,
  stderr: Stream,
  env: Record<string, string | undefined>,
): Output {
  const tty = stdout.isTTY === true;
  const colour = tty && env.NO_COLOR === undefined && env.TERM !== "dumb";
  const paint = (code: number, reset: number) => (text: string) =>
    colour ? `\u001b[${code}m${text}\u001b[${reset}m` : text;
  const redactions: Array<(text: string) => string> = [];
  const hidden = (line: string) => redactions.reduce((text, redact) => redact(text), line);
  return {
    out: (line = "") => stdout.write(`${hidden(line)}\n`),
    err: (line = "") => stderr.write(`${hidden(line)}\n`),
    hide: (redact) => {
      if (redact) redactions.push(redact);
    },
    green: paint(32, 39),
    red: paint(31, 39),
    yellow: paint(33, 39),
    dim: paint(2, 22),
    bold: paint(1, 22),
    async step(label, task) {
      if (!tty) return task();
      const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
      let frame = 0;
      const timer = setInterval(() => stdout.write(`\r${frames[frame++ % frames.length]} ${label}`), 80);
      try {
        return await task();
      } finally {
        clearInterval(timer);
        stdout.write("\r\u001b[2K");
      }
    },
  };
}

/** What {@link jsonText} escapes: DEL, C1 controls, line separators and invisible format characters. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `JSON.stringify(value)` with the characters it leaves raw but a terminal or a reader acts on
 * escaped as `\uXXXX` (the same JSON value): server text cannot drive the terminal via `--json`.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    UNSAFE_IN_JSON,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Formats rows as an aligned two-column table. */
export function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n");
}
