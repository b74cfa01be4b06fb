/** Input field schemas shared by several tool groups. */
import { Name } from "@waggle/primitives"

/** An agent's name, as registered by `swarmmail_init` (1..200 characters). */
export const AgentName = Name(200)
