/**
 * The hive tools: cells, epics, the ready queue, claims, dependencies, git sync. Argument names
 * follow the swarm-tools plugin (`parent_id`, `epic_title`, ...); see the README for differences.
 */
import { CellRef, CellStatus, CellType, Description, DependencyKind, Hive, HiveSync, Label, Priority, Title } from "@waggle/hive"
import type { QueryInput } from "@waggle/hive"
import { BoundedText, Name } from "@waggle/primitives"
import { Effect, Option, Schema } from "effect"
import { defined, hidden, IDEMPOTENT, NoInput, opt, READ, tool, WRITE } from "../internal/tool.js"
import { agentOf } from "../ToolContext.js"
import { AgentName } from "./common.js"
import { cellDetail, CellDetailList, CellList, CellOut, cellOut, MaybeCell } from "./hiveShapes.js"

const Limit = Schema.Int.pipe(Schema.between(1, 1000))
const Reason = BoundedText(2000)
const Files = Schema.Array(BoundedText(1000)).pipe(Schema.maxItems(500))

const QueryFields = {
  status: opt(CellStatus),
  type: opt(CellType),
  ready: opt(Schema.Boolean, "next unblocked only"),
  parent_id: opt(CellRef, "epic"),
  limit: opt(Limit)
}

interface QueryArgs {
  readonly id?: string
  readonly status?: CellStatus
  readonly type?: CellType
  readonly ready?: boolean
  readonly parent_id?: string
  readonly limit?: number
}

/** `hive_cells` / `hive_query`: one cell by id (with details), the next ready cell, or a filtered list. */
const queryCells = (input: QueryArgs) =>
  Effect.gen(function*() {
    const hive = yield* Hive
    if (input.id !== undefined) return { cells: [cellDetail(yield* hive.get(input.id))] }
    if (input.ready === true) {
      const ready = yield* hive.ready(defined({ type: input.type, limit: 1 }))
      return { cells: ready.map(cellOut) }
    }
    const filter: QueryInput = defined({
      status: input.status,
      type: input.type,
      parent: input.parent_id,
      sort: "priority" as const,
      limit: input.limit ?? 20
    })
    return { cells: (yield* hive.query(filter)).map(cellOut) }
  })

const create = tool("Create a cell", WRITE)
  .input(Schema.Struct({
    title: Title,
    type: opt(CellType),
    priority: opt(Priority, "0 urgent..3 low"),
    description: opt(Description),
    parent_id: opt(CellRef, "epic")
  }))
  .output(CellOut)
  .handler(({ input }) =>
    Effect.map(
      Effect.flatMap(Hive, (hive) =>
        hive.create(defined({
          title: input.title,
          type: input.type,
          priority: input.priority,
          description: input.description,
          parent: input.parent_id
        }))),
      cellOut
    )
  )

const Subtask = Schema.Struct({
  title: Title,
  description: opt(Description),
  priority: opt(Priority),
  files: opt(Files),
  blocked_by: opt(Schema.Array(Schema.Int.pipe(Schema.nonNegative())).pipe(Schema.maxItems(100)), "indexes of subtasks")
})

/** The epic's labels: the given ones and `strategy:<name>`, each once. */
const labelsOf = (labels: ReadonlyArray<string> | undefined, strategy: string | undefined) => {
  const all = [...(labels ?? []), ...(strategy === undefined ? [] : [`strategy:${strategy}`])]
  return all.length === 0 ? undefined : [...new Set(all)]
}

const createEpic = tool("Create an epic with subtasks (atomic)", WRITE)
  .input(Schema.Struct({
    epic_title: Title,
    epic_description: opt(Description),
    subtasks: Schema.Array(Subtask).pipe(Schema.maxItems(200)),
    strategy: opt(Name(100), "e.g. file-based"),
    priority: opt(Priority),
    labels: hidden(Schema.Array(Label).pipe(Schema.maxItems(100)))
  }))
  .output(Schema.Struct({ epic: CellOut, subtasks: Schema.Array(CellOut) }))
  .handler(({ input }) =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const { epic, subtasks } = yield* hive.createEpic(defined({
        title: input.epic_title,
        description: input.epic_description,
        priority: input.priority ?? 1,
        labels: labelsOf(input.labels, input.strategy),
        subtasks: input.subtasks.map((s) =>
          defined({ title: s.title, description: s.description, priority: s.priority, files: s.files, blockedBy: s.blocked_by })
        )
      }))
      return { epic: cellOut(epic), subtasks: subtasks.map(cellOut) }
    })
  )

const query = tool("Query cells", READ)
  .input(Schema.Struct(QueryFields))
  .output(CellList)
  .handler(({ input }) => queryCells(input))

const cells = tool("List cells, or one by id with details", READ)
  .input(Schema.Struct({ id: opt(CellRef, "or a prefix"), ...QueryFields }))
  .output(CellDetailList)
  .handler(({ input }) => queryCells(input))

const ready = tool("The next ready cell", READ)
  .input(NoInput)
  .output(MaybeCell)
  .handler(() =>
    Effect.map(Effect.flatMap(Hive, (hive) => hive.ready({ limit: 1 })), (cells) => ({
      cell: cells[0] === undefined ? null : cellOut(cells[0])
    }))
  )

const claim = tool("Claim a cell (no id: the next ready one)", WRITE)
  .input(Schema.Struct({ id: opt(CellRef), agent_name: opt(AgentName) }))
  .output(MaybeCell)
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const agent = yield* agentOf(ctx, "hive_claim", input.agent_name)
      const hive = yield* Hive
      if (input.id !== undefined) return { cell: cellOut(yield* hive.claim(input.id, agent)) }
      const next = yield* hive.claimNext(agent)
      return { cell: Option.getOrNull(Option.map(next, cellOut)) }
    })
  )

const start = tool("Mark a cell in progress", IDEMPOTENT)
  .input(Schema.Struct({ id: CellRef }))
  .output(CellOut)
  .handler(({ input }) => Effect.map(Effect.flatMap(Hive, (hive) => hive.start(input.id)), cellOut))

const update = tool("Update a cell", IDEMPOTENT)
  .input(Schema.Struct({
    id: CellRef,
    status: opt(CellStatus),
    description: opt(Description),
    priority: opt(Priority),
    title: opt(Title),
    assignee: opt(Schema.NullOr(AgentName))
  }))
  .output(CellOut)
  .handler(({ input }) =>
    Effect.gen(function*() {
      const hive = yield* Hive
      const { id, status, ...rest } = input
      const patch = defined({ ...rest, status: status === "closed" ? undefined : status })
      const changed = Object.keys(patch).length > 0 ? yield* hive.update(id, patch) : yield* hive.get(id)
      if (status !== "closed" || changed.status === "closed") return cellOut(changed)
      return cellOut(yield* hive.close(changed.id, { reason: "closed via hive_update" }))
    })
  )

const close = tool("Close a cell", WRITE)
  .input(Schema.Struct({ id: CellRef, reason: Reason, result: opt(Description) }))
  .output(CellOut)
  .handler(({ input }) =>
    Effect.map(
      Effect.flatMap(Hive, (hive) => hive.close(input.id, defined({ reason: input.reason, result: input.result }))),
      cellOut
    )
  )

const comment = tool("Comment on a cell", WRITE)
  .input(Schema.Struct({ id: CellRef, body: BoundedText(100_000), author: opt(AgentName) }))
  .output(Schema.Struct({ cell_id: Schema.String, comment_id: Schema.String }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const author = yield* Effect.orElseSucceed(agentOf(ctx, "hive_comment", input.author), () => "anonymous")
      const hive = yield* Hive
      const id = yield* hive.resolve(input.id)
      const c = yield* hive.comment(id, { author, body: input.body })
      return { cell_id: id, comment_id: c.id }
    })
  )

const DepInput = Schema.Struct({
  id: CellRef,
  depends_on: CellRef,
  kind: opt(DependencyKind, "default blocks")
})
const DepOutput = Schema.Struct({ id: Schema.String, depends_on: Schema.Array(Schema.Struct({ id: Schema.String, kind: Schema.String })) })
const depsOf = (cell: { readonly id: string; readonly dependencies: ReadonlyArray<{ readonly id: string; readonly kind: string }> }) => ({
  id: cell.id,
  depends_on: cell.dependencies.map((d) => ({ id: d.id, kind: d.kind }))
})

const depAdd = tool("Make id depend on depends_on", IDEMPOTENT)
  .input(DepInput)
  .output(DepOutput)
  .handler(({ input }) =>
    Effect.map(Effect.flatMap(Hive, (hive) => hive.addDependency(input.id, input.depends_on, input.kind ?? "blocks")), depsOf)
  )

const depRemove = tool("Remove a dependency", IDEMPOTENT)
  .input(DepInput)
  .output(DepOutput)
  .handler(({ input }) =>
    Effect.map(Effect.flatMap(Hive, (hive) => hive.removeDependency(input.id, input.depends_on, input.kind ?? "blocks")), depsOf)
  )

const sync = tool("Sync hive and memories with git (commit, pull, merge, push)", WRITE, "5m")
  .input(Schema.Struct({ message: opt(BoundedText(500)) }))
  .output(Schema.Struct({
    branch: Schema.String,
    remote: Schema.NullOr(Schema.String),
    committed: Schema.Boolean,
    pulled: Schema.Boolean,
    pushed: Schema.Boolean,
    files: Schema.Array(Schema.String),
    imported: Schema.Array(Schema.Struct({ file: Schema.String, created: Schema.Number, updated: Schema.Number }))
  }))
  .handler(({ input, ctx }) =>
    Effect.gen(function*() {
      const hiveSync = yield* HiveSync
      yield* ctx.session.progress(`hive sync: ${hiveSync.workdir}`)
      const report = yield* hiveSync.sync(defined({ message: input.message }))
      yield* ctx.session.progress(`hive sync: done (${report.committed ? "committed" : "nothing to commit"}${report.pushed ? ", pushed" : ""})`)
      return {
        branch: report.branch,
        remote: report.remote,
        committed: report.committed,
        pulled: report.pulled,
        pushed: report.pushed,
        files: report.files,
        imported: report.imports.map((i) => ({ file: i.file, created: i.report.created, updated: i.report.updated }))
      }
    })
  )

/** The hive tools by name under `hive_` (sessions are in `hiveSessions.ts`). */
export const hiveTools = {
    create,
    create_epic: createEpic,
    query,
    cells,
    ready,
    claim,
    start,
    update,
    close,
    comment,
    dep_add: depAdd,
    dep_remove: depRemove,
    sync
}
