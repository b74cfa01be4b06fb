/** One readable line per event of the log, for the demo's trace. */
import type { RecordedEvent } from "@waggle/primitives"

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23)
const quote = (s: unknown) => JSON.stringify(String(s))
const list = (xs: unknown) => (Array.isArray(xs) ? xs.join(", ") : "")

/** Subjects of the messages seen so far, to name a message when it is acknowledged. */
const subjects = new Map<string, string>()

export const describe = (event: RecordedEvent): string | undefined => {
  const d = event.data as Record<string, any>
  switch (event.type) {
    case "cell_created":
      return `hive    created ${d.type} ${d.id} ${quote(d.title)}${d.files?.length ? ` (files: ${list(d.files)})` : ""}`
    case "dependency_added":
      return d.kind === "blocks" || d.kind === undefined
        ? `hive    ${d.from} waits for ${d.to}`
        : `hive    ${d.from} ${d.kind} ${d.to}`
    case "cell_started":
      return `hive    ${d.agent ?? "someone"} claimed ${d.id}`
    case "cell_closed":
      return `hive    closed ${d.id}: ${d.reason}`
    case "files_reserved":
      return `files   ${d.agent} reserved ${list(d.reservations?.map((r: { pattern: string }) => r.pattern))}`
    case "files_released":
      return `files   ${d.agent ?? "coordinator"} released ${d.ids?.length ?? 0} reservation(s)`
    case "message_sent":
      subjects.set(d.id, d.subject)
      return `mail    ${d.from} → ${list(d.to)}: ${quote(d.subject)}`
    case "message_acked": {
      const subject = subjects.get(d.id ?? d.messageId)
      return `mail    ${d.agent ?? d.recipient ?? "recipient"} acknowledged ${subject === undefined ? "a message" : quote(subject)}`
    }
    case "memory_stored":
      return `memory  stored ${quote(d.content)}`
    case "session_started":
    case "session_ended":
      return undefined
    default:
      return undefined
  }
}

export const line = (event: RecordedEvent): string | undefined => {
  const text = describe(event)
  return text === undefined ? undefined : `${clock(event.createdAt)}  #${String(event.position).padStart(3)}  ${text}`
}
