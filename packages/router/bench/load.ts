/**
 * Load generator, run as a child process so it does not share the server's event loop:
 * `concurrency` keep-alive connections (node:http Agent) each sending POSTs back to back
 * for `durationMs`. Prints one JSON line: { count, errors, latenciesMs (sorted sample) }.
 */
import { Agent, request } from "node:http"

const [url, durationArg, concurrencyArg, body] = process.argv.slice(2)
const target = new URL(url!)
const durationMs = Number(durationArg)
const concurrency = Number(concurrencyArg)
const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
const payload = Buffer.from(body ?? "")

const once = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": payload.length }
      },
      (res) => {
        res.on("data", () => {})
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))))
      }
    )
    req.on("error", reject)
    req.end(payload)
  })

const run = async () => {
  const latencies: Array<number> = []
  let errors = 0
  const deadline = performance.now() + durationMs
  const started = performance.now()
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        latencies.push(await once())
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsedMs = performance.now() - started
  latencies.sort((a, b) => a - b)
  process.stdout.write(JSON.stringify({ count: latencies.length, errors, elapsedMs, latencies }) + "\n")
  agent.destroy()
}

run().catch((error) => {
  process.stderr.write(String(error) + "\n")
  process.exit(1)
})
