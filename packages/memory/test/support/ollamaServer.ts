/**
 * A tiny local HTTP server speaking Ollama's `/api/embed`, for the Ollama adapter's tests: it embeds
 * with the hashed embedder, or misbehaves on purpose (hangs, answers 500, wrong dimension, not JSON).
 */
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { hashedEmbedding } from "../../src/internal/embedders/hashed.js"

export type Behaviour = "ok" | "hang" | "error" | "wrong-dimension" | "not-json"

export interface FakeOllama {
  readonly url: string
  readonly requests: () => number
  readonly setBehaviour: (b: Behaviour) => void
  /** Stops listening and drops open connections (the server is then unreachable). */
  readonly close: Effect.Effect<void>
}

export const startFakeOllama = (dimension = 256): Effect.Effect<FakeOllama, never, import("effect").Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<FakeOllama>((resume) => {
      let behaviour: Behaviour = "ok"
      let requests = 0
      const server = http.createServer((req, res) => {
        let body = ""
        req.on("data", (chunk) => (body += String(chunk)))
        req.on("end", () => {
          requests++
          if (req.method !== "POST" || req.url !== "/api/embed") {
            res.writeHead(404).end("not found")
            return
          }
          if (behaviour === "hang") return // never answers
          if (behaviour === "error") {
            res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "model not loaded" }))
            return
          }
          if (behaviour === "not-json") {
            res.writeHead(200).end("<html>proxy login</html>")
            return
          }
          const { input } = JSON.parse(body) as { input: Array<string> }
          const dim = behaviour === "wrong-dimension" ? dimension + 1 : dimension
          const embeddings = input.map((t) => Array.from(hashedEmbedding(t, dim)))
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ model: "fake", embeddings }))
        })
      })
      let closed = false
      const close = Effect.async<void>((done) => {
        if (closed) return done(Effect.void)
        closed = true
        server.closeAllConnections()
        server.close(() => done(Effect.void))
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          url: `http://127.0.0.1:${port}`,
          requests: () => requests,
          setBehaviour: (b) => (behaviour = b),
          close
        }))
      })
    }),
    (server) => server.close
  )
