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
  return {
    out: (line = "") => stdout.write(`${line}\n`),
    err: (line = "") => stderr.write(`${line}\n`),
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

/** Formats rows as an aligned two-column table. */
export function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n");
}
