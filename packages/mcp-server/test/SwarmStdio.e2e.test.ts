/** The whole swarm over MCP stdio: three client processes, each with its own `waggle mcp` server. */
import { afterAll, beforeAll, describe, it } from "vitest"
import { startAgent } from "./support/agents.js"
import type { AgentProcess } from "./support/agents.js"
import { makeProject } from "./support/project.js"
import type { TestProject } from "./support/project.js"
import { runSwarm } from "./support/scenario.js"

let project: TestProject
const agents: Array<AgentProcess> = []

beforeAll(async () => {
  project = makeProject()
  const start = (name: string) => startAgent(name, { cwd: project.dir, env: project.env, args: ["stdio"] })
  agents.push(...(await Promise.all([start("coordinator"), start("w1"), start("w2")])))
}, 120_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()))
  project?.remove()
})

describe("a swarm over stdio", () => {
  it("coordinator and two workers run a whole swarm", async () => {
    const [coordinator, w1, w2] = agents as [AgentProcess, AgentProcess, AgentProcess]
    await runSwarm(project, { coordinator, w1, w2 })
  }, 180_000)
})
