/** Numbers as the prompt text shows them. */

/** A fraction as a whole percent: `0.667` → `67%`. */
export const pct = (x: number): string => `${Math.round(x * 100)}%`

/** A count that may be decayed: whole numbers as they are, others to one decimal. */
export const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1))
