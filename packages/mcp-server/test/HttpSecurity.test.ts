/**
 * `waggle serve` security: loopback by default, a token required beyond it, bearer auth, Host and
 * Origin checked against DNS rebinding, bounded bodies. Raw HTTP requests (node:http) against a
 * real server process, so that headers like Host can be forged.
 */
import * as http from "node:http"
import type { IncomingMessage } from "node:http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { allowedHostsOf, configurationError, makeGuard } from "../src/mcp/httpSecurity.js"
import { makeProject } from "./support/project.js"
import type { TestProject } from "./support/project.js"
import { serveRefused, startServe } from "./support/serve.js"
import type { ServeProcess } from "./support/serve.js"

const TOKEN = "s3cret-token-for-tests-only"
let project: TestProject
let server: ServeProcess

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "raw", version: "0" } }
})

const post = (headers: Record<string, string>, body: string | Buffer = INITIALIZE, path = "/mcp") =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port: server.port,
      path,
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        host: `127.0.0.1:${server.port}`,
        ...headers
      }
    }, (res) => {
      let text = ""
      res.on("data", (c: Buffer) => (text += c.toString("utf8")))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
      // The server answers SSE streams for initialize; one event is enough.
      if (String(res.headers["content-type"]).includes("text/event-stream")) {
        res.once("data", () => {
          req.destroy()
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" })
        })
      }
    })
    req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(e)))
    req.end(body)
  })

const auth = { authorization: `Bearer ${TOKEN}` }

beforeAll(async () => {
  project = makeProject()
  server = await startServe(project.dir, project.env, ["--token", TOKEN, "--allowed-origin", "https://app.example"])
}, 120_000)

afterAll(async () => {
  await server?.stop()
  project?.remove()
})

describe("waggle serve", () => {
  it("binds 127.0.0.1 by default", () => {
    expect(new URL(server.url).hostname).toBe("127.0.0.1")
  })

  it("answers an initialize with the right Host and token", async () => {
    const res = await post(auth)
    expect(res.status).toBe(200)
    expect(res.headers["mcp-session-id"]).toBeTypeOf("string")
  })

  it("refuses a request without the bearer token (401)", async () => {
    expect((await post({})).status).toBe(401)
    expect((await post({ authorization: "Bearer wrong-token-wrong-token" })).status).toBe(401)
  })

  it("refuses a Host that is not this server (DNS rebinding, 403)", async () => {
    const res = await post({ ...auth, host: `attacker.example:${server.port}` })
    expect(res.status).toBe(403)
    expect(res.body).toContain("host")
  })

  it("refuses a browser Origin that is not allowed (403), accepts an allowed one", async () => {
    expect((await post({ ...auth, origin: "http://evil.example" })).status).toBe(403)
    expect((await post({ ...auth, origin: `http://127.0.0.1:${server.port}` })).status).toBe(200)
    expect((await post({ ...auth, origin: "https://app.example" })).status).toBe(200)
  })

  it("answers 404 off /mcp, 400 for a body that is not JSON, 413 for a huge body", async () => {
    expect((await post(auth, INITIALIZE, "/other")).status).toBe(404)
    expect((await post(auth, "{not json")).status).toBe(400)
    expect((await post(auth, Buffer.alloc(5 * 1024 * 1024, 32))).status).toBe(413)
  })

  it("refuses to bind beyond loopback without a token (exit 2, nothing bound)", async () => {
    const refused = await serveRefused(project.dir, project.env, ["--host", "0.0.0.0", "--port", "0"])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("bearer token")
  }, 60_000)

  it("wrote nothing to stdout", () => {
    expect(server.stdout()).toBe("")
  })
})

describe("the security rules", () => {
  const request = (headers: Record<string, string>) => ({ headers } as unknown as IncomingMessage)

  it("needs a token of at least 16 characters beyond loopback", () => {
    const base = { port: 7777, allowedHosts: [], allowedOrigins: [] }
    expect(configurationError({ ...base, host: "127.0.0.1", token: undefined })).toBeUndefined()
    expect(configurationError({ ...base, host: "0.0.0.0", token: undefined })).toContain("token")
    expect(configurationError({ ...base, host: "192.168.1.5", token: "short" })).toContain("16")
    expect(configurationError({ ...base, host: "0.0.0.0", token: TOKEN })).toBeUndefined()
  })

  it("allows loopback Host names with the port, the bound address, and extra hosts", () => {
    const hosts = allowedHostsOf({ host: "10.1.2.3", port: 8080, token: TOKEN, allowedHosts: ["waggle.internal:8080"], allowedOrigins: [] })
    expect([...hosts]).toEqual(expect.arrayContaining(["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "10.1.2.3:8080", "waggle.internal:8080"]))
    expect(hosts.has("localhost:9999")).toBe(false)
  })

  it("checks Host, then Origin, then the token", () => {
    const guard = makeGuard({ host: "127.0.0.1", port: 8080, token: TOKEN, allowedHosts: [], allowedOrigins: [] })
    expect(guard(request({ host: "evil:8080", authorization: `Bearer ${TOKEN}` }))?.status).toBe(403)
    expect(guard(request({ host: "localhost:8080", origin: "http://evil", authorization: `Bearer ${TOKEN}` }))?.status).toBe(403)
    expect(guard(request({ host: "localhost:8080" }))?.status).toBe(401)
    expect(guard(request({ host: "LOCALHOST:8080", origin: "http://localhost:8080", authorization: `Bearer ${TOKEN}` }))).toBeUndefined()
  })
})
