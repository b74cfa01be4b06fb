/**
 * A router nests routes under names: `router({ session: { get, list }, messages: { stream } })`.
 * Its type carries every path's input and output types to the adapters, and it
 * can be walked as a flat list of entries (the form an MCP tool registry or a CLI uses).
 */
import type { AnyRoute, Route } from "./Route.js"
import { isRoute } from "./Route.js"

export const RouterTypeId: unique symbol = Symbol.for("@waggle/router/Router")
export type RouterTypeId = typeof RouterTypeId

/** The shape a router is built from: routes, nested records, nested routers. */
export interface RouterRecord {
  readonly [key: string]: AnyRoute | RouterRecord | Router<any>
}

/** One route of a router, with where it lives and its flat name. */
export type RouteEntry<Rt extends AnyRoute = AnyRoute> = Rt extends AnyRoute ? {
    /** e.g. `["session", "get"]` */
    readonly path: ReadonlyArray<string>
    /** e.g. `"session_get"`, or the route's `meta.name` */
    readonly name: string
    readonly kind: Rt["kind"]
    readonly route: Rt
  }
  : never

export interface Router<T extends RouterRecord> {
  readonly [RouterTypeId]: RouterTypeId
  readonly routes: T
  /** Every route, depth-first in declaration order. */
  readonly entries: ReadonlyArray<RouteEntry<Router.Routes<T>>>
  /** @internal entries by path joined with "/" */
  readonly byPath: ReadonlyMap<string, RouteEntry>
}

export type AnyRouter = Router<any>

type UnionToIntersection<U> = (U extends unknown ? (_: U) => void : never) extends (_: infer I) => void ? I : never
type Simplify<T> = { [K in keyof T]: T[K] } & {}

export declare namespace Router {
  /** The union of all routes of a router record. */
  export type Routes<T> = {
    [K in keyof T]: T[K] extends AnyRoute ? T[K]
      : T[K] extends Router<infer U> ? Routes<U>
      : T[K] extends RouterRecord ? Routes<T[K]>
      : never
  }[keyof T]
  /** The routes of a router. */
  export type RoutesOf<R> = R extends Router<infer T> ? Routes<T> : never
  /** The context a caller must provide to reach every route. */
  export type Context<R> = Simplify<UnionToIntersection<Route.Context<RoutesOf<R>>>>
  /** The services any route of the router requires. */
  export type Requirements<R> = Route.Requirements<RoutesOf<R>>
  /** The typed errors any route of the router declares. */
  export type Error<R> = Route.Error<RoutesOf<R>>
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/

/**
 * Builds a router. Throws (a programming error) on a key that cannot be a URL
 * segment or when two routes would get the same flat name.
 */
export const router = <const T extends RouterRecord>(routes: T): Router<T> => {
  const entries: Array<RouteEntry> = []
  const walk = (record: RouterRecord, prefix: ReadonlyArray<string>): void => {
    for (const [key, value] of Object.entries(record)) {
      if (!SEGMENT.test(key)) throw new TypeError(`Invalid route key "${key}": use letters, digits, "_", "-" or "."`)
      const path = [...prefix, key]
      if (isRoute(value)) {
        entries.push({ path, name: value.meta.name ?? path.join("_"), kind: value.kind, route: value } as RouteEntry)
      } else if (isRouter(value)) {
        walk(value.routes, path)
      } else {
        walk(value, path)
      }
    }
  }
  walk(routes, [])
  const names = new Set<string>()
  const byPath = new Map<string, RouteEntry>()
  for (const entry of entries) {
    if (names.has(entry.name)) throw new TypeError(`Two routes are named "${entry.name}"`)
    names.add(entry.name)
    byPath.set(entry.path.join("/"), entry)
  }
  return { [RouterTypeId]: RouterTypeId, routes, entries: entries as any, byPath }
}

export const isRouter = (u: unknown): u is AnyRouter => typeof u === "object" && u !== null && RouterTypeId in u

/** Every route of a router as a flat list of `{ path, name, kind, route }`. */
export const entries = <T extends RouterRecord>(self: Router<T>): ReadonlyArray<RouteEntry<Router.Routes<T>>> =>
  self.entries

/** The entry with this flat name (e.g. "session_get") or path (e.g. ["session", "get"]). */
export const find = <T extends RouterRecord>(
  self: Router<T>,
  nameOrPath: string | ReadonlyArray<string>
): RouteEntry<Router.Routes<T>> | undefined =>
  (typeof nameOrPath === "string"
    ? (self.entries as ReadonlyArray<RouteEntry>).find((entry) => entry.name === nameOrPath)
    : self.byPath.get(nameOrPath.join("/"))) as RouteEntry<Router.Routes<T>> | undefined
