// The part of Bun's test API the Bun tests use, so that `tsc --noEmit` checks them without bun-types.
declare module "bun:test" {
  export function test(name: string, fn: () => unknown): void;
}
