/** A bundle of parts the contract requires on their own, and the budget it is a floor of. */
export interface FloorCase {
  name: string;
  code: string;
  of: "core" | "worker";
}
/** The size floor rows printed by `npm run size`. */
export const FLOOR_CASES: FloorCase[];
