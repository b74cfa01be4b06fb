/**
 * Who may talk to `waggle serve`:
 * - It binds 127.0.0.1 by default. Binding anything else requires a bearer token.
 * - DNS rebinding: the `Host` header must name this server (loopback names, the bound address, this
 *   machine's names and addresses when bound to all interfaces, plus `--allowed-host`), and a
 *   browser's `Origin`, when sent, must be one of those hosts (or an `--allowed-origin`).
 * - With a token, every request needs `Authorization: Bearer <token>` (compared in constant time).
 */
import { timingSafeEqual } from "node:crypto"
import type { IncomingMessage } from "node:http"
import * as os from "node:os"

export interface SecurityOptions {
  readonly host: string
  readonly port: number
  readonly token: string | undefined
  readonly allowedHosts: ReadonlyArray<string>
  readonly allowedOrigins: ReadonlyArray<string>
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"])
const WILDCARD = new Set(["0.0.0.0", "::", "[::]"])

export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith("127.")

/** Why these options cannot be served, or undefined. */
export const configurationError = (o: SecurityOptions): string | undefined =>
  !isLoopback(o.host) && (o.token === undefined || o.token.length === 0)
    ? `binding ${o.host} exposes the server beyond this machine: give a bearer token (--token or WAGGLE_TOKEN)`
    : o.token !== undefined && o.token.length < 16
    ? "the token must be at least 16 characters"
    : undefined

const bracket = (h: string) => (h.includes(":") && !h.startsWith("[") ? `[${h}]` : h)

/** The host names (with port) that requests may carry in `Host`. */
export const allowedHostsOf = (o: SecurityOptions): ReadonlySet<string> => {
  const names = new Set<string>(["127.0.0.1", "localhost", "[::1]"])
  if (!WILDCARD.has(o.host)) names.add(bracket(o.host))
  else {
    names.add(os.hostname())
    for (const list of Object.values(os.networkInterfaces())) {
      for (const address of list ?? []) names.add(bracket(address.address))
    }
  }
  const out = new Set<string>()
  for (const n of names) out.add(`${n.toLowerCase()}:${o.port}`)
  for (const h of o.allowedHosts) out.add(h.toLowerCase())
  return out
}

export const allowedOriginsOf = (o: SecurityOptions, hosts: ReadonlySet<string>): ReadonlySet<string> => {
  const out = new Set<string>()
  for (const h of hosts) {
    out.add(`http://${h}`)
    out.add(`https://${h}`)
  }
  for (const origin of o.allowedOrigins) out.add(origin.toLowerCase().replace(/\/$/, ""))
  return out
}

export interface Refusal {
  readonly status: 401 | 403
  readonly message: string
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Checks a request against the rules above: a refusal, or undefined when it may proceed. */
export const makeGuard = (o: SecurityOptions) => {
  const hosts = allowedHostsOf(o)
  const origins = allowedOriginsOf(o, hosts)
  return (req: IncomingMessage): Refusal | undefined => {
    const host = req.headers.host?.toLowerCase()
    if (host === undefined || !hosts.has(host)) return { status: 403, message: `host ${host ?? "(none)"} is not allowed` }
    const origin = req.headers.origin
    if (origin !== undefined && !origins.has(origin.toLowerCase())) return { status: 403, message: `origin ${origin} is not allowed` }
    if (o.token !== undefined) {
      const auth = req.headers.authorization ?? ""
      const match = /^Bearer\s+(.+)$/i.exec(auth)
      if (match === null || !sameSecret(match[1]!.trim(), o.token)) return { status: 401, message: "a valid bearer token is required" }
    }
    return undefined
  }
}
