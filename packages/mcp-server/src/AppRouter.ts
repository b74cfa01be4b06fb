/**
 * Every tool, as one router: the tool registry, the MCP server and the CLI are all generated from
 * it. A tool's name is its path joined with "_" (`hive.create_epic` → `hive_create_epic`).
 */
import { router } from "@waggle/router"
import type { Router } from "@waggle/router"
import { hiveTools } from "./tools/hive.js"
import { sessionTools } from "./tools/hiveSessions.js"
import { mailTools } from "./tools/mail.js"
import { memoryTools } from "./tools/memory.js"
import { swarmTools } from "./tools/swarm.js"

export const appRouter = router({
  hive: { ...hiveTools, ...sessionTools },
  swarmmail: mailTools,
  hivemind: memoryTools,
  swarm: swarmTools
})

export type AppRouter = typeof appRouter
/** The services the tools need (what the runtime must provide). */
export type ToolServices = Router.Requirements<AppRouter>
