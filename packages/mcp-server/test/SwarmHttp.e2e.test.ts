/**
 * The whole swarm over Streamable HTTP: one `waggle serve` (with a bearer token), three client
 * processes, each its own MCP session with its own agent identity.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startAgent } from "./support/agents.js"
import type { AgentProcess } from "./support/agents.js"
import { makeProject } from "./support/project.js"
import type { TestProject } from "./support/project.js"
import { runSwarm } from "./support/scenario.js"
import { startServe } from "./support/serve.js"
import type { ServeProcess } from "./support/serve.js"

const TOKEN = "test-token-0123456789abcdef"
let project: TestProject
let server: ServeProcess
const agents: Array<AgentProcess> = []

beforeAll(async () => {
  project = makeProject()
  server = await startServe(project.dir, project.env, ["--token", TOKEN])
  const start = (name: string) => startAgent(name, { cwd: project.dir, env: {}, args: ["http", server.url, TOKEN] })
  agents.push(...(await Promise.all([start("coordinator"), start("w1"), start("w2")])))
}, 120_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()))
  await server?.stop()
  project?.remove()
})

describe("a swarm over Streamable HTTP", () => {
  it("coordinator and two workers run a whole swarm against one server", async () => {
    const [coordinator, w1, w2] = agents as [AgentProcess, AgentProcess, AgentProcess]
    const { a1, lead } = await runSwarm(project, { coordinator, w1, w2 })
    // Each HTTP session kept its own agent identity.
    expect((await w1.ok("swarmmail_health", {})).agent).toBe(a1)
    expect((await coordinator.ok("swarmmail_health", {})).agent).toBe(lead)
  }, 180_000)

  it("the server wrote nothing to stdout", () => {
    expect(server.stdout()).toBe("")
  })
})
