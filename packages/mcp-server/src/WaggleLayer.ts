/**
 * The whole service stack of a Waggle process, built once per process (one `ManagedRuntime`): the
 * project's database from the environment, the durable primitives, the hive, memory (offline
 * hashed embedder), learning, the agent registry, and the git sync with memory's participant.
 */
import { Layer, Logger, LogLevel, ManagedRuntime } from "effect"
import { Hive, HiveSessions, HiveSync } from "@waggle/hive"
import { layer as learningLayer, PrecedentSource } from "@waggle/learning"
import { Memory } from "@waggle/memory"
import { DurableDeferred, DurableLock, DurableMailbox, EventStore, FileReservations, Project, Storage } from "@waggle/primitives"
import { Agents } from "./Agents.js"

const base = Layer.provideMerge(EventStore.layer, Layer.provideMerge(Storage.layerFromEnv, Project.layer))

const memory = Memory.layerDefault

const learning = learningLayer().pipe(Layer.provide(PrecedentSource.layerFromOutcomes))

const services = Layer.mergeAll(
  DurableMailbox.layer,
  FileReservations.layer,
  DurableLock.layer,
  DurableDeferred.layer,
  Hive.layer(),
  HiveSessions.layer,
  Layer.provideMerge(HiveSync.layer(), Memory.layerSyncParticipants.pipe(Layer.provideMerge(memory))),
  learning,
  Agents.layer
)

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
export const WaggleLayer = Layer.provideMerge(services, base).pipe(Layer.provideMerge(StderrLogger))

export type WaggleServices = Layer.Layer.Success<typeof WaggleLayer>

/** One runtime per process; dispose it to close the database. */
export const makeRuntime = () => ManagedRuntime.make(WaggleLayer)
export type WaggleRuntime = ReturnType<typeof makeRuntime>
