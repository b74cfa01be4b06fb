/** Looking a subject up, and validating it (its evidence ages from the validation on). */
import { Effect } from "effect"
import type { EventStoreService, StorageError } from "@waggle/primitives"
import type { LearningConfigShape } from "../LearningConfig.js"
import { PatternNotFound } from "../LearningErrors.js"
import type { PatternView, SubjectKind } from "../Pattern.js"
import { PatternValidated, subjectStream } from "./events.js"
import { appendOwn } from "./queryable.js"
import type { Queryable } from "./queryable.js"
import type { Subject } from "./subjects.js"
import { decide, loadSubjects, view } from "./subjects.js"

export const findSubject = (
  db: Queryable,
  project: string,
  kind: SubjectKind,
  name: string,
  now: number,
  config: LearningConfigShape
): Effect.Effect<Subject, PatternNotFound | StorageError> =>
  Effect.flatMap(loadSubjects(db, project, kind, [name], now, config), (found) => {
    const subject = found.get(name)
    return subject === undefined ? Effect.fail(new PatternNotFound({ kind, name })) : Effect.succeed(subject)
  })

/**
 * Appends the validation and, in the same transaction, the transition (or inversion) that the
 * refreshed evidence calls for; returns the subject as of the validation.
 */
export const validate = (
  store: EventStoreService,
  config: LearningConfigShape,
  kind: SubjectKind,
  name: string
): Effect.Effect<PatternView, PatternNotFound | StorageError> =>
  store.transact((tx) =>
    Effect.gen(function*() {
      yield* findSubject(tx, tx.project, kind, name, tx.now, config)
      yield* appendOwn(tx, subjectStream(kind, name), PatternValidated.make({ kind, name }))
      // Reloaded: evidence beyond the horizon may count again now that its clock was reset.
      const validated = yield* findSubject(tx, tx.project, kind, name, tx.now, config)
      const decision = decide(validated, tx.now, config)
      if (decision.events.length === 0) return view(validated, tx.now, config)
      yield* appendOwn(tx, subjectStream(kind, name), decision.events)
      return view(yield* findSubject(tx, tx.project, kind, name, tx.now, config), tx.now, config)
    })
  )
