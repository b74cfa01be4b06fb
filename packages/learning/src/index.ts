export * as AntiPattern from "./AntiPattern.js"
export * as Decay from "./Decay.js"
export * as Evidence from "./Evidence.js"
export * as FeedbackScore from "./FeedbackScore.js"
export * as Insights from "./Insights.js"
export type {
  AvoidItem,
  Insights as LearningInsights,
  InsightsInput,
  PatternAdvice,
  RuleAdvice,
  StrategyInsight
} from "./Insights.js"
export * from "./Learning.js"
export { LearningConfig } from "./LearningConfig.js"
export type { DeepPartial, InsightsConfig, LearningConfigInput, LearningConfigShape, ThompsonConfig } from "./LearningConfig.js"
export * from "./LearningErrors.js"
export * as Maturity from "./Maturity.js"
export type { Maturity as MaturityState } from "./Maturity.js"
export * from "./Outcome.js"
export * from "./Pattern.js"
export * from "./Playbook.js"
export * from "./PrecedentSource.js"
export * as Prng from "./Prng.js"
export * from "./RandomSource.js"
export * from "./Rule.js"
export * from "./Skill.js"
export * from "./Skills.js"
export * from "./Strategy.js"
export * from "./StrategyStats.js"
export * as Thompson from "./Thompson.js"
export { layer } from "./layers.js"
export type { LearningLayerOptions } from "./layers.js"
export { LearningModule } from "./internal/module.js"
export * as LearningEvents from "./internal/events.js"
