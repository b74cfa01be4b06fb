/** The learning package's event module: migrations, event types and the projection. */
import { EventModule } from "@waggle/primitives"
import * as Events from "./events.js"
import { migration } from "./migrations/0001_learning.js"
import { learningProjection } from "./projection.js"

export const LearningModule = EventModule.make({
  name: "learning",
  migrations: [migration],
  events: [
    Events.OutcomeRecorded,
    Events.MaturityChanged,
    Events.PatternInverted,
    Events.PatternValidated,
    Events.StrategyRegistered,
    Events.RuleAdded,
    Events.RuleReinforced,
    Events.RuleContradicted,
    Events.RuleRetired,
    Events.SkillAdded,
    Events.SkillUsed
  ],
  projections: [learningProjection]
})
