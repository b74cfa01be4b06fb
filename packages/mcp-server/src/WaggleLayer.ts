/**
 * The whole service stack of a Waggle process, built once per process (one `ManagedRuntime`): the
 * project's database from the environment, the durable primitives, the hive, memory (offline
 * hashed embedder; also learning's precedent source), learning, the agent registry, the git sync
 * with memory's participant, and the swarm (its prompts name this server's tools).
 */
import { Layer, Logger, LogLevel, ManagedRuntime } from "effect"
import { Hive, HiveSessions, HiveSync } from "@waggle/hive"
import { layer as learningLayer } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableDeferred, DurableLock, DurableMailbox, EventStore, FileReservations, Project, Storage } from "@waggle/primitives"
import { MemoryPrecedent, Swarm, SwarmConfig } from "@waggle/swarm"
import { Agents } from "./Agents.js"

const base = Layer.provideMerge(EventStore.layer, Layer.provideMerge(Storage.layerFromEnv, Project.layer))

/** Services on the event store alone. */
const primary = Layer.mergeAll(
  DurableMailbox.layer,
  FileReservations.layer,
  DurableLock.layer,
  DurableDeferred.layer,
  Hive.layer(),
  HiveSessions.layer,
  Memory.layerDefault,
  Agents.layer
)

/** Services on the primary ones: git sync (hive + memories), learning (precedent from memory). */
const secondary = Layer.mergeAll(
  HiveSync.layer().pipe(Layer.provide(Memory.layerSyncParticipants)),
  learningLayer().pipe(Layer.provide(MemoryPrecedent.layer))
)

/** The tool names the swarm's prompts tell agents to call. */
export const swarmToolNames = {
  reserve: "swarmmail_reserve",
  release: "swarmmail_release",
  mailSend: "swarmmail_send",
  mailInbox: "swarmmail_inbox",
  memoryFind: "hivemind_find",
  createEpic: "hive_create_epic"
} as const

const swarm = Swarm.layer.pipe(Layer.provideMerge(SwarmConfig.layer({ tools: swarmToolNames })))

/** Logs go to stderr (stdout is the protocol in stdio mode); `WAGGLE_LOG_LEVEL` (default `warning`). */
export const StderrLogger = Layer.merge(
  Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
  Logger.minimumLogLevel(logLevelFromEnv())
)

function logLevelFromEnv(): LogLevel.LogLevel {
  const wanted = (process.env["WAGGLE_LOG_LEVEL"] ?? "warning").toLowerCase()
  return LogLevel.allLevels.find((l) => l.label.toLowerCase() === wanted || l._tag.toLowerCase() === wanted) ?? LogLevel.Warning
}

/** Every service the tools need, on the project of the working directory. */
export const WaggleLayer = swarm.pipe(
  Layer.provideMerge(secondary),
  Layer.provideMerge(primary),
  Layer.provideMerge(base),
  Layer.provideMerge(StderrLogger)
)

export type WaggleServices = Layer.Layer.Success<typeof WaggleLayer>

/** One runtime per process; dispose it to close the database. */
export const makeRuntime = () => ManagedRuntime.make(WaggleLayer)
export type WaggleRuntime = ReturnType<typeof makeRuntime>
