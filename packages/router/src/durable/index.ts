export * from "./awaitDeferred.js"
export * from "./DurableJournal.js"
export { DurableWorkflowModule, WorkflowStepCompleted } from "./module.js"
