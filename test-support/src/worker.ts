/** What worker processes may import: no vitest in here (it only loads inside a test run). */
export * from "./layers.js"
