/**
 * The Ollama adapter: `POST {url}/api/embed` with `{ model, input: [...] }`, answered with
 * `{ embeddings: number[][] }`. Every request carries an abort timeout, so an unreachable or hung
 * server fails fast with a typed error instead of hanging the caller.
 */
import { Effect } from "effect"
import { EmbedderError } from "../../Errors.js"

export interface OllamaOptions {
  /** The server, default `http://127.0.0.1:11434`. */
  readonly url?: string
  /** The embedding model, e.g. `nomic-embed-text`. */
  readonly model: string
  /** How long one request may take before it fails (ms, default 10 000). */
  readonly timeoutMs?: number
  /** The model's dimension; when absent, one probe request at startup finds it. */
  readonly dimension?: number
}

const describe = (error: unknown): string => {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause
    const detail = cause instanceof Error ? `: ${cause.message}` : ""
    return `${error.message}${detail}`
  }
  return String(error)
}

/** Embeds `texts` with one request; the vectors are not yet checked (see `checkVectors`). */
export const ollamaRequest = (options: OllamaOptions, name: string) => {
  const base = (options.url ?? "http://127.0.0.1:11434").replace(/\/+$/, "")
  const timeoutMs = options.timeoutMs ?? 10_000
  return (texts: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<Float32Array>, EmbedderError> =>
    Effect.gen(function*() {
      const response = yield* Effect.tryPromise({
        try: (signal) =>
          fetch(`${base}/api/embed`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ model: options.model, input: texts }),
            signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
          }),
        catch: (error) =>
          new EmbedderError({
            embedder: name,
            reason: error instanceof Error && error.name === "TimeoutError"
              ? `no answer from Ollama at ${base} within ${timeoutMs} ms`
              : `cannot reach Ollama at ${base}: ${describe(error)}`
          })
      })
      const body = yield* Effect.tryPromise({
        try: () => response.text(),
        catch: (error) => new EmbedderError({ embedder: name, reason: `reading the reply from ${base} failed: ${describe(error)}` })
      })
      if (!response.ok) {
        return yield* new EmbedderError({
          embedder: name,
          reason: `Ollama at ${base} answered HTTP ${response.status}: ${body.slice(0, 300)}`
        })
      }
      const parsed = yield* Effect.try({
        try: () => JSON.parse(body) as unknown,
        catch: () => new EmbedderError({ embedder: name, reason: `Ollama at ${base} answered something that is not JSON` })
      })
      const embeddings = (parsed as { embeddings?: unknown } | null)?.embeddings
      if (!Array.isArray(embeddings) || !embeddings.every((e) => Array.isArray(e) && e.every((x) => typeof x === "number"))) {
        return yield* new EmbedderError({ embedder: name, reason: `Ollama at ${base} answered without an "embeddings" array of number arrays` })
      }
      return (embeddings as Array<Array<number>>).map((e) => Float32Array.from(e))
    })
}
