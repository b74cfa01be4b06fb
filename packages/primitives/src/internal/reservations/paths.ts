/**
 * Normalising the paths and patterns an agent asks to reserve, relative to the project root:
 *
 * - `\` becomes `/` (Windows separators; there is no escape character),
 * - `./`, `.` segments and repeated `/` disappear; `..` is resolved lexically,
 * - an absolute path inside the root becomes relative to it; one outside it is refused,
 * - a relative path whose `..` climbs above the root is refused,
 * - a trailing `/` names a directory and everything in it: `src/` is `src/**`,
 * - `..` after a wildcard (`src/*\/..`) is refused: which directory it names is unknowable,
 * - the root itself (`.`, `/abs/root`) is refused: reserve `**` to mean everything.
 *
 * The result is a pattern `glob.parse` accepts, in one canonical spelling, so equal requests compare
 * equal as strings (release by path is an exact match on this form).
 */
import { Either } from "effect"
import { hasGlobSyntax, parse } from "./glob.js"
import type { Glob } from "./glob.js"

export const MAX_PATTERN_LENGTH = 1024

export interface NormalizedPattern {
  readonly pattern: string
  readonly glob: Glob
}

const isAbsolute = (p: string) => p.startsWith("/") || /^[A-Za-z]:\//.test(p)

const toPosix = (p: string) => p.replaceAll("\\", "/")

type ResolveError = "escapes" | "wildcard"

/**
 * Lexically resolves `.`, `..` and empty segments. `..` above the start is an error for a relative
 * path; for an absolute one it stays at `/`, as the OS does.
 */
const resolveSegments = (segments: ReadonlyArray<string>, absolute: boolean): Either.Either<Array<string>, ResolveError> => {
  const out: Array<string> = []
  for (const s of segments) {
    if (s === "" || s === ".") continue
    if (s === "..") {
      if (out.some(hasGlobSyntax)) return Either.left("wildcard")
      if (out.length === 0) {
        if (absolute) continue
        return Either.left("escapes")
      }
      out.pop()
    } else out.push(s)
  }
  return Either.right(out)
}

const ROOT_ITSELF = "is the project root itself (reserve ** to mean everything)"
const messages: Record<ResolveError, string> = {
  escapes: "escapes the project root",
  wildcard: "has '..' after a wildcard"
}
// Drive letters compare case-insensitively (`c:/` and `C:/`).
const sameSegment = (a: string, b: string) => a === b || (/^[A-Za-z]:$/.test(a) && a.toUpperCase() === b.toUpperCase())

/** The canonical pattern for `input` under `root`, or a message saying what is wrong with it. */
export const normalizePattern = (input: string, root: string): Either.Either<NormalizedPattern, string> => {
  if (input.length === 0) return Either.left("is empty")
  if (input.length > MAX_PATTERN_LENGTH) return Either.left(`is longer than ${MAX_PATTERN_LENGTH} characters`)
  if (input.includes("\u0000")) return Either.left("contains a NUL character")
  const posix = toPosix(input)
  const absolute = isAbsolute(posix)
  const resolved = resolveSegments(posix.split("/"), absolute)
  if (Either.isLeft(resolved)) return Either.left(messages[resolved.left])
  let segments = resolved.right
  if (absolute) {
    const base = Either.getOrElse(resolveSegments(toPosix(root).split("/"), true), () => [])
    const inside = base.length <= segments.length && base.every((s, i) => sameSegment(s, segments[i]!))
    if (!inside) return Either.left(`is outside the project root ${root}`)
    segments = segments.slice(base.length)
  }
  if (posix.endsWith("/")) segments.push("**")
  if (segments.length === 0) return Either.left(ROOT_ITSELF)
  const pattern = segments.join("/")
  return Either.map(parse(pattern), (glob) => ({ pattern, glob }))
}
