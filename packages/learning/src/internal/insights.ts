/**
 * Building the insights for a task: Thompson sampling among the strategies (after a warm-up of the
 * ones with too little evidence), the active anti-patterns, the patterns and rules that work, and
 * precedent.
 */
import { Effect } from "effect"
import type { StorageError } from "@waggle/primitives"
import * as AntiPattern from "../AntiPattern.js"
import * as Evidence from "../Evidence.js"
import type { AvoidItem, Insights, PatternAdvice, RuleAdvice, StrategyInsight } from "../Insights.js"
import { format } from "../Insights.js"
import type { LearningConfigShape } from "../LearningConfig.js"
import type { PatternView } from "../Pattern.js"
import type { Precedent, PrecedentSourceService } from "../PrecedentSource.js"
import type { RandomSourceService } from "../RandomSource.js"
import { matchedKeywords } from "../Strategy.js"
import * as Thompson from "../Thompson.js"
import { num, pct } from "./numbers.js"
import type { Queryable } from "./queryable.js"
import { byConfidence, loadRules } from "./rules.js"
import { listStrategies } from "./strategies.js"
import { byStrength, fresh, loadSubjects, view } from "./subjects.js"

export interface InsightsDeps {
  readonly db: Queryable
  readonly project: string
  readonly config: LearningConfigShape
  readonly random: RandomSourceService
  readonly precedent: PrecedentSourceService
}

/** The subject's active anti-pattern (inverted once, and the evidence still meets the rule), if any. */
const avoidItem = (v: PatternView): AvoidItem | undefined =>
  v.antiPattern?.active === true
    ? {
      kind: v.kind,
      name: v.name,
      text: v.antiPattern.current,
      failureRate: v.failureRate,
      observations: v.observations,
      invertedAt: v.antiPattern.invertedAt
    }
    : undefined

export const buildInsights = (
  deps: InsightsDeps,
  task: string,
  precedentLimit: number,
  now: number
): Effect.Effect<Insights, StorageError> =>
  Effect.gen(function*() {
    const { db, project, config } = deps
    const strategies = yield* listStrategies(db, project)
    const strategySubjects = yield* loadSubjects(db, project, "strategy", undefined, now, config)
    const patternSubjects = yield* loadSubjects(db, project, "pattern", undefined, now, config)
    const rules = yield* loadRules(db, project, undefined, now, config)
    const th = config.thompson

    const strategyViews = new Map([...strategySubjects].map(([name, s]) => [name, view(s, now, config)]))
    const patternViews = [...patternSubjects.values()].map((s) => view(s, now, config))

    const arms = strategies.map((s) => {
      const v = strategyViews.get(s.name) ?? view(fresh("strategy", s.name, now), now, config)
      const matched = matchedKeywords(s, task)
      const boost = matched.length > 0 ? th.keywordBoost : 0
      return {
        info: s,
        v,
        matched,
        arm: { name: s.name, alpha: th.priorAlpha + v.successes + boost, beta: th.priorBeta + v.failures }
      }
    })
    const warming = th.warmupTrials > 0 ? arms.filter((a) => !Evidence.atLeast(a.v.observations, th.warmupTrials)) : []
    const pool = warming.length > 0 ? warming : arms
    const { choice, probabilities } = yield* deps.random.use((u) => ({
      choice: Thompson.choose(u, pool.map((a) => a.arm)),
      probabilities: Thompson.probabilityBest(u, arms.map((a) => a.arm), th.confidenceDraws)
    }))
    const drawOf = new Map(choice.draws.map((d) => [d.name, d.sample]))
    const strategyInsights = arms.map((a, i): StrategyInsight => ({
      name: a.info.name,
      description: a.info.description,
      builtin: a.info.builtin,
      alpha: a.arm.alpha,
      beta: a.arm.beta,
      mean: Thompson.mean(a.arm),
      observations: a.v.observations,
      successRate: a.v.successRate,
      maturity: a.v.maturity,
      probabilityBest: probabilities[i] ?? 0,
      draw: drawOf.get(a.info.name) ?? null,
      matchedKeywords: a.matched,
      antiPattern: a.v.antiPattern?.active === true ? a.v.antiPattern.current : null
    }))
    const chosen = strategyInsights.find((s) => s.name === choice.chosen)!

    let reasoning: string
    if (warming.length > 0) {
      reasoning = `Warm-up: "${chosen.name}" has ${num(chosen.observations)} decayed outcome(s), fewer than ` +
        `${num(th.warmupTrials)}; strategies with too little evidence are tried before Thompson sampling compares them ` +
        `(${warming.length} of ${arms.length} still warming up).`
    } else {
      const runnerUp = [...choice.draws].filter((d) => d.name !== chosen.name).sort((a, b) => b.sample - a.sample)[0]
      reasoning = `Thompson sampling over decayed evidence chose "${chosen.name}": posterior Beta(${chosen.alpha.toFixed(1)}, ` +
        `${chosen.beta.toFixed(1)}), mean ${pct(chosen.mean)}, drew ${(chosen.draw ?? 0).toFixed(2)}` +
        (runnerUp === undefined ? "" : `; next best "${runnerUp.name}" drew ${runnerUp.sample.toFixed(2)}`) +
        `. Probability that it is the best strategy: ${pct(chosen.probabilityBest)}.`
    }
    if (chosen.matchedKeywords.length > 0) {
      reasoning += ` The task mentions ${chosen.matchedKeywords.map((k) => `"${k}"`).join(", ")}, which favours it.`
    }
    if (chosen.antiPattern !== null) {
      reasoning += ` It is flagged (${chosen.antiPattern}); sampling it again lets new evidence confirm or lift the flag.`
    }

    const avoid = [...strategyViews.values(), ...patternViews]
      .flatMap((v) => avoidItem(v) ?? [])
      .sort((a, b) => b.failureRate - a.failureRate || b.observations - a.observations || a.name.localeCompare(b.name))

    const patterns: Array<PatternAdvice> = patternViews
      .filter((v) => !AntiPattern.isAntiPattern(v.name) && (v.maturity === "established" || v.maturity === "proven") && v.weight > 0)
      .map((v) => ({ name: v.name, maturity: v.maturity, weight: v.weight, successRate: v.successRate, observations: v.observations }))
      .sort(byStrength)

    const ruleAdvice: Array<RuleAdvice> = rules
      .filter((r) => r.status === "active" && r.maturity !== "deprecated")
      .sort(byConfidence)
      .slice(0, config.insights.maxRules)
      .map((r) => ({ id: r.id, text: r.text, confidence: r.confidence, maturity: r.maturity, evidence: r.evidence }))

    const notes: Array<string> = []
    let precedent: ReadonlyArray<Precedent> = []
    if (precedentLimit > 0) {
      precedent = yield* deps.precedent.similar(task, precedentLimit).pipe(
        Effect.catchTag("PrecedentUnavailable", (e) => Effect.as(Effect.sync(() => notes.push(e.message)), []))
      )
    }

    const body: Omit<Insights, "prompt"> = {
      task,
      strategy: chosen.name,
      confidence: chosen.probabilityBest,
      reasoning,
      mode: warming.length > 0 ? "warmup" : "thompson",
      strategies: strategyInsights,
      avoid,
      patterns: patterns.slice(0, config.insights.maxPatterns),
      rules: ruleAdvice,
      precedent,
      notes
    }
    return { ...body, prompt: format(body) }
  })
