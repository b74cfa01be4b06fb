/** The mailbox's event module: its migrations, event types and projection. */
import * as EventModule from "../../EventModule.js"
import { MessageAcked, MessageLeased, MessageRead, MessageSent } from "./events.js"
import { migration } from "./migrations/0001_mailbox.js"
import { mailboxProjection } from "./projection.js"

export const MailboxModule = EventModule.make({
  name: "mailbox",
  migrations: [migration],
  events: [MessageSent, MessageRead, MessageLeased, MessageAcked],
  projections: [mailboxProjection]
})
