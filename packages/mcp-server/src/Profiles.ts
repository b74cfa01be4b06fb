/**
 * Tool profiles keep agents' context small: a worker needs a handful of tools, a coordinator the
 * core set; `full` is everything. Chosen with `--profile` (or `WAGGLE_PROFILE`).
 */
export const Profiles = ["minimal", "core", "full"] as const
export type Profile = typeof Profiles[number]

/** A worker: join, claim, reserve, talk, report, recall. */
const minimal = [
  "swarmmail_init",
  "swarmmail_send",
  "swarmmail_inbox",
  "swarmmail_reserve",
  "swarmmail_release",
  "hive_claim",
  "swarm_progress",
  "swarm_complete",
  "hivemind_find"
] as const

/** A coordinator and its workers: plan, track, coordinate, learn. */
const core = [
  ...minimal,
  "swarmmail_read_message",
  "hive_create",
  "hive_create_epic",
  "hive_cells",
  "hive_update",
  "hive_close",
  "hive_sync",
  "hivemind_store",
  "swarm_decompose",
  "swarm_validate_decomposition",
  "swarm_spawn_subtask",
  "swarm_status",
  "swarm_review",
  "swarm_review_feedback",
  "swarm_record_outcome"
] as const

export const PROFILES: { readonly [P in Profile]: ReadonlyArray<string> | "all" } = {
  minimal,
  core,
  full: "all"
}

export const isProfile = (s: string): s is Profile => (Profiles as ReadonlyArray<string>).includes(s)
