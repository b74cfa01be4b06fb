/** The cursor module: one table of checkpoints; no event types, no projections (checkpoints are not events). */
import { make } from "../../EventModule.js"
import { migration } from "./migrations/0001_cursors.js"

export const CursorModule = make({
  name: "primitives/cursor",
  migrations: [migration],
  events: [],
  projections: []
})
