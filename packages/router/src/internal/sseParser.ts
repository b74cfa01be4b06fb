/** A Server-Sent Events parser over a byte stream (WHATWG event-stream format). */

export interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
  readonly retry: number | undefined
}

/** Yields events as they complete; comments (heartbeats) are skipped. */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ""
  let event = ""
  let data: Array<string> = []
  let id: string | undefined
  let retry: number | undefined
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      let newline: number
      while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1))
        if (line === "") {
          if (data.length > 0 || event !== "") {
            yield { event: event === "" ? "message" : event, data: data.join("\n"), id, retry }
          } else if (retry !== undefined) {
            yield { event: "retry", data: "", id, retry }
          }
          event = ""
          data = []
          retry = undefined
          continue
        }
        if (line.startsWith(":")) continue
        const colon = line.indexOf(":")
        const field = colon === -1 ? line : line.slice(0, colon)
        const value = colon === -1 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1))
        if (field === "data") data.push(value)
        else if (field === "event") event = value
        else if (field === "id") id = value
        else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value)
      }
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}
