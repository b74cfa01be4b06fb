/**
 * The swarm's settings: who coordinates by default, the review limit, progress milestones,
 * verification and deferred defaults, and the tool names the prompts tell agents to call (the
 * host registers the tools, so it can rename them here).
 */
import { Context, Layer } from "effect"

export interface ToolNames {
  readonly progress: string
  readonly checkpoint: string
  readonly complete: string
  readonly recover: string
  readonly validate: string
  readonly review: string
  readonly reviewFeedback: string
  readonly spawn: string
  readonly reserve: string
  readonly release: string
  readonly mailSend: string
  readonly mailInbox: string
  readonly memoryFind: string
  readonly createEpic: string
}

export interface SwarmConfigShape {
  /** The coordinator's agent name when a spawn names none. */
  readonly coordinator: string
  /** Rejections after which a subtask is blocked (default 3). */
  readonly reviewLimit: number
  /** Progress percentages that store a checkpoint when first reached (default 25, 50, 75). */
  readonly milestones: ReadonlyArray<number>
  /** Per verification command, unless the call says otherwise (default 2 minutes). */
  readonly verificationTimeoutMs: number
  /** Lifetime of a completion deferred (default 24 hours). */
  readonly deferredTtlMs: number
  /** How long workers' reservations last (the prompt says it; default 1 hour). */
  readonly reservationTtlMs: number
  /** Memories shown to a worker (default 5). */
  readonly workerMemories: number
  /** Similar past tasks shown to the decomposer (default 3). */
  readonly precedentLimit: number
  readonly tools: ToolNames
}

export const defaultToolNames: ToolNames = {
  progress: "swarm_progress",
  checkpoint: "swarm_checkpoint",
  complete: "swarm_complete",
  recover: "swarm_recover",
  validate: "swarm_validate_decomposition",
  review: "swarm_review",
  reviewFeedback: "swarm_review_feedback",
  spawn: "swarm_spawn_subtask",
  reserve: "files_reserve",
  release: "files_release",
  mailSend: "mail_send",
  mailInbox: "mail_inbox",
  memoryFind: "memory_find",
  createEpic: "hive_create_epic"
}

export const defaults: SwarmConfigShape = {
  coordinator: "coordinator",
  reviewLimit: 3,
  milestones: [25, 50, 75],
  verificationTimeoutMs: 120_000,
  deferredTtlMs: 24 * 3_600_000,
  reservationTtlMs: 3_600_000,
  workerMemories: 5,
  precedentLimit: 3,
  tools: defaultToolNames
}

export type SwarmConfigInput = Partial<Omit<SwarmConfigShape, "tools">> & { readonly tools?: Partial<ToolNames> }

export const make = (input: SwarmConfigInput = {}): SwarmConfigShape => ({
  ...defaults,
  ...input,
  milestones: [...new Set(input.milestones ?? defaults.milestones)].sort((a, b) => a - b),
  tools: { ...defaultToolNames, ...input.tools }
})

export class SwarmConfig extends Context.Tag("@waggle/swarm/SwarmConfig")<SwarmConfig, SwarmConfigShape>() {
  static readonly default: Layer.Layer<SwarmConfig> = Layer.succeed(SwarmConfig, defaults)
  static readonly layer = (input: SwarmConfigInput = {}): Layer.Layer<SwarmConfig> => Layer.succeed(SwarmConfig, make(input))
}
