/** The demo's task: an epic of three subtasks; the third waits for the first. */
export const AGENTS = ["BlueLake", "GreenCastle", "RedStone"] as const
export const COORDINATOR = "Coordinator"

export const EPIC = {
  title: "Add request logging",
  description: "Log every request with timing, without leaking secrets.",
  subtasks: [
    { title: "Add a log level to the config", files: ["src/config.ts"] },
    { title: "Log requests in the server", files: ["src/server.ts", "src/middleware/*.ts"] },
    { title: "Keep auth headers out of the logs", files: ["src/auth.ts"], after: 0 }
  ]
} as const

export const LEARNING = "Request logging: redact the Authorization and Cookie headers before a request is logged."
