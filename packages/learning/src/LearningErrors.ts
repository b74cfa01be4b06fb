/**
 * The typed errors of the learning package. Invalid inputs fail with `InvalidInput` from
 * `@waggle/primitives` (the operation and the path of every bad field); nothing is stored then.
 */
import { Schema } from "effect"
import { Issue } from "@waggle/primitives"

export { InvalidInput } from "@waggle/primitives"

/** The learning configuration is invalid (a non-positive half-life, thresholds out of order, ...). */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  issues: Schema.Array(Issue)
}) {
  override get message(): string {
    return `invalid learning configuration: ${this.issues.map((i) => `${i.path === "" ? "(config)" : i.path}: ${i.message}`).join("; ")}`
  }
}

/** An outcome named a strategy that is neither built in nor registered. Nothing was stored. */
export class UnknownStrategy extends Schema.TaggedError<UnknownStrategy>()("UnknownStrategy", {
  strategy: Schema.String,
  known: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return `unknown strategy "${this.strategy}" (known: ${this.known.join(", ")}); register it first`
  }
}

/** A strategy with this name exists already (built in, or registered with another description). */
export class StrategyExists extends Schema.TaggedError<StrategyExists>()("StrategyExists", {
  strategy: Schema.String
}) {
  override get message(): string {
    return `strategy "${this.strategy}" already exists`
  }
}

/** No evidence was ever recorded for this pattern (or strategy). */
export class PatternNotFound extends Schema.TaggedError<PatternNotFound>()("PatternNotFound", {
  kind: Schema.Literal("pattern", "strategy"),
  name: Schema.String
}) {
  override get message(): string {
    return `no ${this.kind} "${this.name}" has been observed`
  }
}

/** No playbook rule with this id. */
export class RuleNotFound extends Schema.TaggedError<RuleNotFound>()("RuleNotFound", {
  id: Schema.String
}) {
  override get message(): string {
    return `no playbook rule ${this.id}`
  }
}

/** A rule with the same text exists already (active or retired). */
export class RuleExists extends Schema.TaggedError<RuleExists>()("RuleExists", {
  id: Schema.String
}) {
  override get message(): string {
    return `playbook rule ${this.id} already has this text`
  }
}

/** The rule was retired: it takes no more evidence. */
export class RuleRetired extends Schema.TaggedError<RuleRetired>()("RuleRetired", {
  id: Schema.String,
  retiredAt: Schema.Number
}) {
  override get message(): string {
    return `playbook rule ${this.id} was retired at ${new Date(this.retiredAt).toISOString()}`
  }
}

/** No skill with this name. */
export class SkillNotFound extends Schema.TaggedError<SkillNotFound>()("SkillNotFound", {
  name: Schema.String
}) {
  override get message(): string {
    return `no skill "${this.name}"`
  }
}

/** A skill with this name exists already. */
export class SkillExists extends Schema.TaggedError<SkillExists>()("SkillExists", {
  name: Schema.String
}) {
  override get message(): string {
    return `skill "${this.name}" already exists`
  }
}

/** The precedent source (e.g. the memory package) could not answer. */
export class PrecedentUnavailable extends Schema.TaggedError<PrecedentUnavailable>()("PrecedentUnavailable", {
  reason: Schema.String
}) {
  override get message(): string {
    return `precedent unavailable: ${this.reason}`
  }
}
