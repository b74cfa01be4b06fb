/** The README's Promise example, kept compiling. */
import { connect } from "@waggle/primitives/promise"

export const main = async () => {
  const waggle = await connect()
  await waggle.lock.acquire("deploy", "agent-1", { ttl: "30 seconds" })
  await waggle.mailbox.send({ from: "agent-1", to: ["agent-2"], subject: "deployed", body: "" })
  await waggle.lock.release("deploy", "agent-1")
  await waggle.close()
}
