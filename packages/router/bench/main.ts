/**
 * Router benchmarks: `pnpm --filter @waggle/router bench`. One JSON line per figure on stdout:
 *   {"op","ops_per_s","p50_ms","p99_ms","baseline_ops_per_s","ratio"}
 *
 * direct_call            Effect.runPromise(caller.add(input)) — input decoding, the handler — against a
 *                        plain async function doing the same addition; same process, sequential calls.
 * web_handler_inprocess  toWebHandler(router)(new Request(...)) against a hand-written fetch-style handler
 *                        returning the same JSON (no network: the cost of the adapter itself).
 * http_*                 requests per second against a bare node:http handler returning the same JSON.
 *                        Servers run in this process; the load comes from a child process (node:http
 *                        keep-alive Agent, BENCH_CONCURRENCY connections, BENCH_HTTP_MS per run after a
 *                        1 s warm-up). On a small machine the load generator saturates first, so each
 *                        http_* figure has a *_server_cpu twin: requests per CPU-second of the server
 *                        process (what one core could serve), against the bare handler's.
 *                        The node handler is compared over BENCH_ROUNDS alternating rounds (the round
 *                        with the median ratio is reported), the platform mounts once.
 * Progress and notes go to stderr.
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const Input = Schema.Struct({ a: Schema.Number, b: Schema.Number })
const Output = Schema.Struct({ sum: Schema.Number })
const add = route().input(Input).output(Output).handler(({ input }) => ({ sum: input.a + input.b }))
const app = router({ add })

const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!

const round = (n: number, digits = 4) => Number(n.toFixed(digits))

const emit = (op: string, opsPerS: number, latenciesMs: ArrayLike<number>, baselineOpsPerS: number) =>
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

const note = (text: string) => process.stderr.write(text + "\n")

/** Sequential calls: warm-up, then CALLS timed calls. */
const timeCalls = async (calls: number, call: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < Math.min(20_000, calls); i++) await call(i)
  const latencies = new Float64Array(calls)
  const started = performance.now()
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now()
    await call(i)
    latencies[i] = performance.now() - t0
  }
  const elapsedMs = performance.now() - started
  return { opsPerS: (calls / elapsedMs) * 1000, latencies: latencies.sort() }
}

const benchDirectCall = async () => {
  const caller = createCaller(app)
  const plain = async (input: { a: number; b: number }) => ({ sum: input.a + input.b })
  const baseline = await timeCalls(CALLS, (i) => plain({ a: i, b: 1 }))
  const direct = await timeCalls(CALLS, (i) => Effect.runPromise(caller.add({ a: i, b: 1 })))
  emit("direct_call", direct.opsPerS, direct.latencies, baseline.opsPerS)
  note(`direct_call: ${(1e6 / direct.opsPerS - 1e6 / baseline.opsPerS).toFixed(2)} µs overhead per call`)
}

const benchWebHandlerInProcess = async () => {
  const handler = toWebHandler(app)
  const plain = async (request: Request) => {
    const input = (await request.json()) as { a: number; b: number }
    return new Response(JSON.stringify({ sum: input.a + input.b }), { headers: { "content-type": "application/json" } })
  }
  const request = (i: number) => new Request("http://bench/add", { method: "POST", body: JSON.stringify({ a: i, b: 1 }) })
  const calls = Math.round(CALLS / 4)
  const baseline = await timeCalls(calls, (i) => plain(request(i)).then((r) => r.text()))
  const measured = await timeCalls(calls, (i) => handler(request(i)).then((r) => r.text()))
  emit("web_handler_inprocess", measured.opsPerS, measured.latencies, baseline.opsPerS)
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
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
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

const platformServer = async (httpApp: HttpApp.Default<never, never>): Promise<Running> => {
  const scope = Effect.runSync(Scope.make())
  let server: Server | undefined
  const layer = HttpServer.serve(httpApp).pipe(
    Layer.provideMerge(NodeHttpServer.layer(() => (server = createServer()), { port: 0, host: "127.0.0.1" }))
  )
  const context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
  const address = Context.get(context, HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  return {
    url: `http://127.0.0.1:${address.port}/add`,
    close: () => {
      server?.closeAllConnections()
      return Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

interface LoadResult {
  readonly opsPerS: number
  readonly cpuOpsPerS: number
  readonly latencies: Array<number>
}

const load = (url: string, durationMs: number) =>
  new Promise<LoadResult>((resolve, reject) => {
    const cpuBefore = process.cpuUsage()
    const child = fork(
      fileURLToPath(new URL("./load.ts", import.meta.url)),
      [url, String(durationMs), String(CONCURRENCY), JSON.stringify({ a: 1, b: 2 })],
      { execArgv: process.execArgv, stdio: ["ignore", "pipe", "inherit", "ipc"] }
    )
    let out = ""
    child.stdout!.on("data", (chunk) => (out += chunk))
    child.on("exit", (code) => {
      const cpu = process.cpuUsage(cpuBefore)
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`))
      const result = JSON.parse(out) as { count: number; errors: number; elapsedMs: number; latencies: Array<number> }
      if (result.errors > 0) return reject(new Error(`${result.errors} failed requests`))
      const cpuSeconds = (cpu.user + cpu.system) / 1e6
      resolve({
        opsPerS: (result.count / result.elapsedMs) * 1000,
        cpuOpsPerS: result.count / cpuSeconds,
        latencies: result.latencies
      })
    })
  })

const measure = async (start: () => Promise<Running>): Promise<LoadResult> => {
  const running = await start()
  try {
    await load(running.url, 1_000)
    return await load(running.url, HTTP_MS)
  } finally {
    await running.close()
  }
}

/**
 * Alternates the bare handler and the adapter `rounds` times (the machine may be shared)
 * and reports, for throughput and for server CPU, the round with the median ratio.
 */
const compare = async (op: string, start: () => Promise<Running>, rounds: number) => {
  const pairs: Array<{ bare: LoadResult; measured: LoadResult }> = []
  for (let round = 0; round < rounds; round++) {
    pairs.push({ bare: await measure(bareServer), measured: await measure(start) })
  }
  const median = (ratio: (pair: (typeof pairs)[number]) => number) =>
    [...pairs].sort((a, b) => ratio(a) - ratio(b))[Math.floor(pairs.length / 2)]!
  const throughput = median(({ bare, measured }) => measured.opsPerS / bare.opsPerS)
  emit(op, throughput.measured.opsPerS, throughput.measured.latencies, throughput.bare.opsPerS)
  const cpu = median(({ bare, measured }) => measured.cpuOpsPerS / bare.cpuOpsPerS)
  emit(`${op}_server_cpu`, cpu.measured.cpuOpsPerS, cpu.measured.latencies, cpu.bare.cpuOpsPerS)
}

const benchHttp = async () => {
  note(`http: load from a child process, ${CONCURRENCY} keep-alive connections, ${HTTP_MS} ms per run`)
  await compare("http_node_handler", () => listen(createServer(toNodeHandler(app))), ROUNDS)
  await compare("http_httpapp_platform_node", () => platformServer(toHttpApp(app)), 1)
  await compare(
    "http_web_handler_platform_node",
    () => platformServer(HttpApp.fromWebHandler(toWebHandler(app)) as HttpApp.Default<never, never>),
    1
  )
}

await benchDirectCall()
await benchWebHandlerInProcess()
await benchHttp()
