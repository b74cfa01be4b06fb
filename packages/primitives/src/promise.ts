/**
 * The Promise facade, for callers who do not use Effect. One `connect` opens the project's
 * database and the durable primitives; every method returns a Promise that rejects with the same
 * typed error the Effect API fails with (an `Error` with a `_tag`, e.g. `LockHeld`,
 * `StreamVersionConflict`, `InvalidInput`), so callers can `switch (error._tag)`.
 *
 * ```ts
 * import { connect } from "@waggle/primitives/promise"
 * const waggle = await connect()                       // .waggle/waggle.db of this repository
 * const lease = await waggle.lock.acquire("deploy", "agent-1", { ttl: "30 seconds" })
 * await waggle.mailbox.send({ from: "agent-1", to: ["agent-2"], subject: "deployed", body: "" })
 * await waggle.lock.release("deploy", "agent-1")
 * await waggle.close()
 * ```
 */
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import type { Duration } from "effect"
import type { Cursor, CursorFilter } from "./DurableCursor.js"
import { DurableCursor } from "./DurableCursor.js"
import type { DeferredStatus } from "./DurableDeferred.js"
import { DurableDeferred } from "./DurableDeferred.js"
import type { AcquireOptions, Acquired, Lease, LockStatus } from "./DurableLock.js"
import { DurableLock } from "./DurableLock.js"
import type { InboxEntry, InboxOptions, MessageHeader, ReceivedMessage, SendMailInput, WaitForMailOptions } from "./DurableMailbox.js"
import { DurableMailbox } from "./DurableMailbox.js"
import type { EventInput, RecordedEvent } from "./Event.js"
import type { EventModule } from "./EventModule.js"
import type { AppendOptions, AppendResult, ReadAllOptions, ReadStreamOptions } from "./EventStore.js"
import { EventStore } from "./EventStore.js"
import type { Reservation, ReserveOptions, ReserveResult } from "./FileReservations.js"
import { FileReservations } from "./FileReservations.js"
import type { ReservationConflictDetail } from "./Errors.js"
import { Project, resolveProject } from "./Project.js"
import { Storage } from "./Storage.js"
import type { Durability } from "./StorageConfig.js"

export interface ConnectOptions {
  /** A database URL; default `WAGGLE_DB_URL`, else `.waggle/waggle.db` under the project root. */
  readonly url?: string
  readonly authToken?: string
  readonly durability?: Durability
  /** The project key; default `WAGGLE_PROJECT`, else the project root of `cwd`. */
  readonly project?: string
  /** Where to look for the project root (default: the process's working directory). */
  readonly cwd?: string
}

export interface Waggle {
  readonly project: string
  readonly eventStore: {
    /** Registers a module's migrations, event types and projections (before appending its events). */
    install(module: EventModule): Promise<void>
    append(stream: string, events: EventInput | ReadonlyArray<EventInput>, options?: AppendOptions): Promise<AppendResult>
    read(stream: string, options?: ReadStreamOptions): Promise<ReadonlyArray<RecordedEvent>>
    readAll(options?: ReadAllOptions): Promise<ReadonlyArray<RecordedEvent>>
  }
  readonly mailbox: {
    send(message: SendMailInput): Promise<MessageHeader>
    /** The next message leased to this consumer, or `undefined` when there is none. */
    receive(agent: string, options: { readonly visibilityTimeout: Duration.DurationInput }): Promise<ReceivedMessage | undefined>
    ack(agent: string, messageId: string, receipt?: string): Promise<void>
    inbox(agent: string, options?: InboxOptions): Promise<ReadonlyArray<InboxEntry>>
    wait(agent: string, options: WaitForMailOptions): Promise<ReadonlyArray<InboxEntry>>
  }
  readonly lock: {
    acquire(resource: string, holder: string, options: AcquireOptions): Promise<Acquired>
    renew(resource: string, holder: string, options: { readonly ttl: Duration.DurationInput }): Promise<Lease>
    release(resource: string, holder: string): Promise<void>
    inspect(resource: string): Promise<LockStatus>
    /** Runs `use` while holding the lock; released when it settles, whatever the outcome. */
    withLock<A>(resource: string, holder: string, options: AcquireOptions, use: (lease: Acquired) => Promise<A>): Promise<A>
  }
  readonly reservations: {
    reserve(agent: string, paths: ReadonlyArray<string>, options?: ReserveOptions): Promise<ReserveResult>
    check(agent: string, paths: ReadonlyArray<string>): Promise<ReadonlyArray<ReservationConflictDetail>>
    release(agent: string, selection: { readonly paths?: ReadonlyArray<string>; readonly ids?: ReadonlyArray<string> }): Promise<ReadonlyArray<Reservation>>
    releaseMine(agent: string): Promise<ReadonlyArray<Reservation>>
    list(options?: { readonly agent?: string }): Promise<ReadonlyArray<Reservation>>
  }
  readonly cursor: {
    /** A named checkpoint over the log (or a filter of it). */
    open(name: string, filter?: CursorFilter): Promise<{
      position(): Promise<number>
      checkpoint(position: number): Promise<void>
      rewind(position: number): Promise<number>
      /** Handles the events after the checkpoint (at-least-once), checkpointing as it goes; returns how many. */
      consume(handler: (event: RecordedEvent) => Promise<void> | void, options?: { readonly batchSize?: number }): Promise<number>
    }>
  }
  readonly deferred: {
    create(options: { readonly ttl: Duration.DurationInput }): Promise<string>
    resolve(token: string, value: unknown): Promise<void>
    reject(token: string, reason: string): Promise<void>
    await<A = unknown>(token: string, options?: { readonly timeout?: Duration.DurationInput }): Promise<A>
    status(token: string): Promise<DeferredStatus>
  }
  /** Closes the database. */
  close(): Promise<void>
}

const services = Layer.mergeAll(DurableMailbox.layer, DurableLock.layer, FileReservations.layer, DurableCursor.layer, DurableDeferred.layer)

/** Opens the database and the primitives; rejects with `DatabaseOpenError` when it cannot. */
export const connect = async (options: ConnectOptions = {}): Promise<Waggle> => {
  const project = options.project !== undefined || options.cwd !== undefined
    ? Project.layerOf(resolveProject({
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.project === undefined ? {} : { key: options.project })
    }))
    : Project.layer
  const storage = options.url === undefined
    ? Storage.layerFromEnv
    : Storage.layer({
      url: options.url,
      ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
      ...(options.durability === undefined ? {} : { durability: options.durability })
    })
  const layer = Layer.provideMerge(services, Layer.provideMerge(EventStore.layer, Layer.provideMerge(storage, project)))
  const runtime = ManagedRuntime.make(layer)

  /** Runs an effect; a failure rejects with the typed error itself, a defect with its cause. */
  const run = async <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof layer>>): Promise<A> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.failureOption(exit.cause)
    throw Option.isSome(failure) ? failure.value : Cause.squash(exit.cause)
  }

  const store = await run(EventStore)
  const mailbox = await run(DurableMailbox)
  const lock = await run(DurableLock)
  const reservations = await run(FileReservations)
  const cursors = await run(DurableCursor)
  const deferred = await run(DurableDeferred)

  const cursorFacade = (cursor: Cursor) => ({
    position: () => run(cursor.position),
    checkpoint: (position: number) => run(cursor.checkpoint(position)),
    rewind: (position: number) => run(cursor.rewind(position)),
    consume: (handler: (event: RecordedEvent) => Promise<void> | void, o: { readonly batchSize?: number } = {}) =>
      run(cursor.consume((event) => Effect.promise(async () => handler(event)), { transactional: false, ...o }))
  })

  return {
    project: store.project,
    eventStore: {
      install: (module) => run(store.install(module)),
      append: (stream, events, o) => run(store.append(stream, events, o)),
      read: (stream, o) => run(store.readStream(stream, o)),
      readAll: (o) => run(store.readAll(o))
    },
    mailbox: {
      send: (message) => run(mailbox.send(message)),
      receive: (agent, o) => run(Effect.map(mailbox.receive(agent, o), Option.getOrUndefined)),
      ack: (agent, id, receipt) => run(mailbox.ack(agent, id, receipt)),
      inbox: (agent, o) => run(mailbox.inbox(agent, o)),
      wait: (agent, o) => run(mailbox.wait(agent, o))
    },
    lock: {
      acquire: (resource, holder, o) => run(lock.acquire(resource, holder, o)),
      renew: (resource, holder, o) => run(lock.renew(resource, holder, o)),
      release: (resource, holder) => run(lock.release(resource, holder)),
      inspect: (resource) => run(lock.inspect(resource)),
      withLock: (resource, holder, o, use) =>
        run(lock.withLock(resource, holder, o, (lease) => Effect.tryPromise({ try: () => use(lease), catch: (e) => e })))
    },
    reservations: {
      reserve: (agent, paths, o) => run(reservations.reserve(agent, paths, o)),
      check: (agent, paths) => run(reservations.check(agent, paths)),
      release: (agent, selection) => run(reservations.release(agent, selection)),
      releaseMine: (agent) => run(reservations.releaseMine(agent)),
      list: (o) => run(reservations.list(o))
    },
    cursor: {
      open: async (name, filter) => cursorFacade(await run(cursors.open(name, filter)))
    },
    deferred: {
      create: (o) => run(deferred.create(o)),
      resolve: (token, value) => run(deferred.resolve(token, value)),
      reject: (token, reason) => run(deferred.reject(token, reason)),
      await: <A>(token: string, o: { readonly timeout?: Duration.DurationInput } = {}) => run(deferred.await<A>(token, o)),
      status: (token) => run(deferred.status(token))
    },
    close: () => runtime.dispose()
  }
}
