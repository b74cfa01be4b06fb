/**
 * Skills: reusable prompt templates with Beta(α, β) success statistics,
 * α = priorAlpha + decayed successful uses, β = priorBeta + decayed failed uses, chosen by
 * Thompson sampling among the skills that match a selection.
 */
import { Schema } from "effect"
import { BoundedText, Name } from "@waggle/primitives"

export interface SkillView {
  readonly name: string
  readonly description: string
  readonly template: string
  readonly tags: ReadonlyArray<string>
  readonly alpha: number
  readonly beta: number
  /** α / (α + β). */
  readonly mean: number
  /** Raw counts. */
  readonly uses: number
  readonly successes: number
  readonly failures: number
  readonly addedAt: number
  readonly lastUsedAt: number | null
}

export interface SkillChoice {
  readonly skill: SkillView
  /** The winning sample. */
  readonly draw: number
  /** Every candidate's sample, in name order. */
  readonly draws: ReadonlyArray<{ readonly name: string; readonly sample: number }>
}

export const SkillName = Name(200)
const Tag = Name(100)

export const AddSkillInput = Schema.Struct({
  name: SkillName,
  description: BoundedText(2000),
  template: BoundedText(100_000),
  tags: Schema.optional(Schema.Array(Tag).pipe(Schema.maxItems(50)))
})
export type AddSkillInput = typeof AddSkillInput.Encoded

export const RecordUseInput = Schema.Struct({ name: SkillName, success: Schema.Boolean })
export type RecordUseInput = typeof RecordUseInput.Encoded

export const SelectSkillInput = Schema.Struct({
  /** Candidates carry at least one of these tags (all skills when omitted). */
  tags: Schema.optional(Schema.Array(Tag).pipe(Schema.maxItems(50)))
})
export type SelectSkillInput = typeof SelectSkillInput.Encoded
