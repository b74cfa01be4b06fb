/** Starts the real servers the contract suites run against, once for the whole test run. */
import type { TestProject } from "vitest/node"
import { startSqld } from "./sqld.js"

declare module "vitest" {
  export interface ProvidedContext {
    sqldUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const sqld = await startSqld()
  project.provide("sqldUrl", sqld.url)
  return async () => {
    await sqld.stop()
  }
}
