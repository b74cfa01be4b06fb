/**
 * Router benchmarks. Prints one JSON line per figure on stdout:
 *   {"op","ops_per_s","p50_ms","p99_ms","baseline_ops_per_s","ratio"}
 *
 * direct_call: `Effect.runPromise(caller.add(input))` (decode + handler) vs a plain
 *   async function, same process, sequential calls.
 * http_*: requests per second through the router's HTTP adapter vs a bare node:http
 *   handler returning the same JSON; all servers run in this process, the load comes
 *   from a child process (node:http keep-alive Agent, CONCURRENCY connections).
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Effect, Exit, Layer, Schema, Scope } from "effect"
import { fork } from "node:child_process"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { createCaller, route, router, toHttpApp, toNodeHandler, toWebHandler } from "../src/index.js"

const CALLS = Number(process.env.BENCH_CALLS ?? 200_000)
const HTTP_MS = Number(process.env.BENCH_HTTP_MS ?? 5_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)

const Input = Schema.Struct({ a: Schema.Number, b: Schema.Number })
const Output = Schema.Struct({ sum: Schema.Number })
const add = route().input(Input).output(Output).handler(({ input }) => ({ sum: input.a + input.b }))
const app = router({ add })

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!

const round = (n: number, digits = 4) => Number(n.toFixed(digits))

const emit = (op: string, opsPerS: number, latenciesMs: ReadonlyArray<number>, baselineOpsPerS: number) =>
  process.stdout.write(
    JSON.stringify({
      op,
      ops_per_s: Math.round(opsPerS),
      p50_ms: round(percentile(latenciesMs, 50)),
      p99_ms: round(percentile(latenciesMs, 99)),
      baseline_ops_per_s: Math.round(baselineOpsPerS),
      ratio: round(opsPerS / baselineOpsPerS, 3)
    }) + "\n"
  )

const timeCalls = async (call: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 20_000; i++) await call(i) // warm-up
  const latencies = new Float64Array(CALLS)
  const started = performance.now()
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now()
    await call(i)
    latencies[i] = performance.now() - t0
  }
  const elapsedMs = performance.now() - started
  return { opsPerS: (CALLS / elapsedMs) * 1000, latencies: Array.from(latencies).sort((a, b) => a - b) }
}

const benchDirectCall = async () => {
  const caller = createCaller(app)
  const plain = async (input: { a: number; b: number }) => ({ sum: input.a + input.b })
  const baseline = await timeCalls((i) => plain({ a: i, b: 1 }))
  const direct = await timeCalls((i) => Effect.runPromise(caller.add({ a: i, b: 1 })))
  emit("direct_call", direct.opsPerS, direct.latencies, baseline.opsPerS)
  const overheadUs = (1e6 / direct.opsPerS) - (1e6 / baseline.opsPerS)
  process.stderr.write(`direct_call overhead: ${overheadUs.toFixed(2)} µs per call\n`)
}

interface Running {
  readonly url: string
  readonly close: () => Promise<void>
}

const listen = (server: Server): Promise<Running> =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/add`,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()) })
      })
    })
  )

const bareServer = () =>
  listen(createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { a: number; b: number }
      const body = JSON.stringify({ sum: input.a + input.b })
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
      res.end(body)
    })
  }))

const effectServer = async (httpApp: HttpApp.Default<never, never>): Promise<Running> => {
  const scope = Effect.runSync(Scope.make())
  let server: Server | undefined
  const layer = HttpServer.serve(httpApp).pipe(
    Layer.provideMerge(NodeHttpServer.layer(() => (server = createServer()), { port: 0, host: "127.0.0.1" }))
  )
  const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
  const address = Context.get(context, HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") throw new Error("expected TCP")
  return {
    url: `http://127.0.0.1:${address.port}/add`,
    close: () => {
      server?.closeAllConnections()
      return Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

const load = (url: string) =>
  new Promise<{ opsPerS: number; latencies: Array<number> }>((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL("./load.ts", import.meta.url)),
      [url, String(HTTP_MS), String(CONCURRENCY), JSON.stringify({ a: 1, b: 2 })],
      { execArgv: process.execArgv, stdio: ["ignore", "pipe", "inherit", "ipc"] }
    )
    let out = ""
    child.stdout!.on("data", (chunk) => (out += chunk))
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`))
      const result = JSON.parse(out) as { count: number; errors: number; elapsedMs: number; latencies: Array<number> }
      if (result.errors > 0) return reject(new Error(`${result.errors} failed requests`))
      resolve({ opsPerS: (result.count / result.elapsedMs) * 1000, latencies: result.latencies })
    })
  })

const measure = async (start: () => Promise<Running>) => {
  const running = await start()
  try {
    await load(running.url) // warm-up run is the first half of the same measurement? no: separate short warm-up
    return await load(running.url)
  } finally {
    await running.close()
  }
}

const benchHttp = async () => {
  const bare = await measure(bareServer)
  const node = await measure(() => listen(createServer(toNodeHandler(app))))
  emit("http_nodehandler", node.opsPerS, node.latencies, bare.opsPerS)
  const native = await measure(() => effectServer(toHttpApp(app)))
  emit("http_httpapp_node", native.opsPerS, native.latencies, bare.opsPerS)
  const web = await measure(() => effectServer(HttpApp.fromWebHandler(toWebHandler(app)) as HttpApp.Default<never, never>))
  emit("http_webhandler_node", web.opsPerS, web.latencies, bare.opsPerS)
}

await benchDirectCall()
await benchHttp()
