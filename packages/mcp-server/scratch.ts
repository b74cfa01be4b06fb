import { makeProject } from "./test/support/project.js"
import { connectStdio, ok, call } from "./test/support/mcp.js"
const p = makeProject()
const t0 = Date.now()
const c = await connectStdio(p.dir, p.env)
console.log("connected", Date.now() - t0)
const tools = await c.client.listTools()
console.log(tools.tools.length)
console.log(await ok(c.client, "swarmmail_init", { agent_name: "coordinator" }))
const d = await ok(c.client, "swarm_decompose", { task: "Add a greeting module and tests" })
console.log(Object.keys(d), d.strategy, d.prompt.slice(0, 300))
const answer = { epic: { title: "Greeting", description: "d" }, subtasks: [
  { title: "Implement greet", files: ["src/greet.ts"], dependencies: [], estimated_complexity: 2 },
  { title: "Test greet", files: ["test/greet.test.ts"], dependencies: [], estimated_complexity: 1 } ] }
const v = await ok(c.client, "swarm_validate_decomposition", { response: answer, strategy: "file-based" })
console.log(JSON.stringify(v))
console.log(JSON.stringify(await call(c.client, "hive_cells", {})))
await c.close()
console.log(c.stderr())
p.remove()
