/**
 * Serves `appRouter` on http://127.0.0.1:<port>/api for the project of the working directory
 * (embedded database). `PORT` chooses the port (default 7788); prints `{"listening": url}`.
 */
import { Layer, ManagedRuntime } from "effect"
import * as http from "node:http"
import { Hive } from "@waggle/hive"
import { DurableMailbox, EventStore, Project, Storage } from "@waggle/primitives"
import { toNodeHandler } from "@waggle/router"
import { appRouter } from "./app.js"

const layer = Layer.mergeAll(Hive.layer(), DurableMailbox.layer).pipe(
  Layer.provideMerge(EventStore.layer),
  Layer.provideMerge(Storage.layerFromEnv),
  Layer.provideMerge(Project.layer)
)
const runtime = ManagedRuntime.make(layer)
await runtime.runPromise(EventStore) // open the database (and fail fast) before listening

const server = http.createServer(toNodeHandler(appRouter, { runtime, prefix: "/api" }))
server.listen(Number(process.env["PORT"] ?? 7788), "127.0.0.1", () => {
  const address = server.address() as { port: number }
  process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${address.port}/api` }) + "\n")
})
const stop = () => server.close(() => void runtime.dispose().then(() => process.exit(0)))
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
