/** The size budget's cases (scripts/size.mjs). */
export const SIZE_CASES: Array<{
  name: string;
  code: string;
  external?: string[];
  limit: number;
  target?: number;
}>;
