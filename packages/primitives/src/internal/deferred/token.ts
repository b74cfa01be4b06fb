/**
 * Deferred tokens: `deferred:` and 22 characters of base64url (128 random bits). A token is a bearer
 * capability: whoever holds it may resolve, reject or await the deferred, so the bits come from the
 * operating system's CSPRNG, not from Effect's seeded `Random` (which is predictable by design).
 * Parsed and validated at every public boundary; the part after the prefix is the id in the tables.
 */
import { Schema } from "effect"
import { randomBytes } from "node:crypto"

const PREFIX = "deferred:"

export const DeferredToken = Schema.String.pipe(
  Schema.pattern(/^deferred:[A-Za-z0-9_-]{22}$/, {
    message: () => "a deferred token: \"deferred:\" followed by 22 characters of A-Z, a-z, 0-9, _ or -"
  }),
  Schema.brand("DeferredToken")
)
export type DeferredToken = typeof DeferredToken.Type

/** A fresh random id (call it outside any transaction: a unit may run twice). */
export const newId = (): string => randomBytes(16).toString("base64url")

export const tokenOf = (id: string): DeferredToken => `${PREFIX}${id}` as DeferredToken

export const idOf = (token: DeferredToken): string => token.slice(PREFIX.length)
