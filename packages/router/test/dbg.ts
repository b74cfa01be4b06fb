import { ManagedRuntime } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { createClient, toNodeHandler } from "../src/index.js"
import { type AppRouter, appRouter, contextFromRequest, sessionsLayer } from "./fixtures.js"
const runtime = ManagedRuntime.make(sessionsLayer)
const server = createServer(toNodeHandler(appRouter, { prefix: "/api", context: contextFromRequest, runtime }))
server.listen(0, "127.0.0.1", async () => {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`
  const r = await fetch(base + "/messages/forever", { method: "POST", body: "", headers: { accept: "text/event-stream", "content-type": "application/json" } })
  console.error("status", r.status, r.headers.get("content-type"))
  const reader = r.body!.getReader()
  console.error(new TextDecoder().decode((await reader.read()).value))
  await reader.cancel()
  const api = createClient<AppRouter>(base)
  for await (const x of api.messages.forever()) { console.error("item", x); break }
  server.closeAllConnections(); server.close()
})
