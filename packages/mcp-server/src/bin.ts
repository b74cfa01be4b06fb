/** The `waggle` executable (see `bin/waggle.js`, which runs this file's build or its source). */
import { main } from "./cli/main.js"

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
    // Whatever still holds the event loop (an idle pool, a stdin listener) must not keep us alive.
    setTimeout(() => process.exit(code), 200).unref()
  },
  (error: unknown) => {
    process.stderr.write(`waggle: ${String(error)}\n`)
    process.exit(3)
  }
)
