import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { expandBraces, matches, overlaps, overlapWitness, parse } from "../src/internal/reservations/glob.js"
import type { Glob } from "../src/internal/reservations/glob.js"
import { normalizePattern } from "../src/internal/reservations/paths.js"

const glob = (pattern: string): Glob => Either.getOrThrow(parse(pattern))

// ---------------------------------------------------------------------------------------------
// A reference matcher written independently of glob.ts: braces rendered as regex alternation
// inside a segment, segments matched with backtracking over `**`.

type Atom =
  | { readonly _tag: "lit"; readonly c: string }
  | { readonly _tag: "one" }
  | { readonly _tag: "star" }
  | { readonly _tag: "class"; readonly chars: string; readonly negated: boolean }
  | { readonly _tag: "range"; readonly lo: string; readonly hi: string }
  | { readonly _tag: "alt"; readonly options: ReadonlyArray<string> }
type Seg = "**" | ReadonlyArray<Atom>
type Pattern = ReadonlyArray<Seg>

const renderAtom = (a: Atom): string => {
  switch (a._tag) {
    case "lit":
      return a.c
    case "one":
      return "?"
    case "star":
      return "*"
    case "class":
      return `[${a.negated ? "!" : ""}${a.chars}]`
    case "range":
      return `[${a.lo}-${a.hi}]`
    case "alt":
      return `{${a.options.join(",")}}`
  }
}
const render = (p: Pattern): string => p.map((s) => (s === "**" ? "**" : s.map(renderAtom).join(""))).join("/")

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
const atomRegex = (a: Atom): string => {
  switch (a._tag) {
    case "lit":
      return escape(a.c)
    case "one":
      return "[^/]"
    case "star":
      return "[^/]*"
    case "class":
      return `[${a.negated ? "^/" : ""}${escape(a.chars)}]`
    case "range":
      return `[${a.lo}-${a.hi}]`
    case "alt":
      return `(?:${a.options.map(escape).join("|")})`
  }
}
const segmentRegex = (atoms: ReadonlyArray<Atom>) => new RegExp(`^${atoms.map(atomRegex).join("")}$`, "u")

const referenceMatch = (p: Pattern, path: string): boolean => {
  const segments = path.split("/")
  // A segment that is exactly `**` (even when generated as two stars) is a globstar.
  const regexes = p.map((s) => (s === "**" || s.map(renderAtom).join("") === "**" ? undefined : segmentRegex(s)))
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === segments.length
    const r = regexes[i]
    if (r === undefined) {
      for (let k = j; k <= segments.length; k++) if (go(i + 1, k)) return true
      return false
    }
    return j < segments.length && r.test(segments[j]!) && go(i + 1, j + 1)
  }
  return go(0, 0)
}

// Generators over a small alphabet, so that random patterns and paths often meet.
const CHARS = ["a", "b", "c", "."]
const char = fc.constantFrom(...CHARS)
// Normalised paths and patterns never have "." or ".." segments.
const notDots = (s: string) => s !== "." && s !== ".."
const word = fc.array(char, { minLength: 1, maxLength: 2 }).map((cs) => cs.join("")).filter(notDots)
const atom: fc.Arbitrary<Atom> = fc.oneof(
  { weight: 4, arbitrary: char.map((c): Atom => ({ _tag: "lit", c })) },
  { weight: 1, arbitrary: fc.constant<Atom>({ _tag: "one" }) },
  { weight: 2, arbitrary: fc.constant<Atom>({ _tag: "star" }) },
  {
    weight: 1,
    arbitrary: fc.record({ chars: fc.uniqueArray(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 2 }), negated: fc.boolean() })
      .map(({ chars, negated }): Atom => ({ _tag: "class", chars: chars.join(""), negated }))
  },
  { weight: 1, arbitrary: fc.constantFrom<Atom>({ _tag: "range", lo: "a", hi: "b" }, { _tag: "range", lo: "b", hi: "c" }) },
  { weight: 1, arbitrary: fc.array(word, { minLength: 1, maxLength: 3 }).map((options): Atom => ({ _tag: "alt", options })) }
)
const segment: fc.Arbitrary<Seg> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Seg>("**") },
  { weight: 4, arbitrary: fc.array(atom, { minLength: 1, maxLength: 3 }) }
)
const pattern = fc.array(segment, { minLength: 1, maxLength: 3 })
  .filter((p) => render(p).split("/").every(notDots))
const path = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join("/"))

/** A pattern that certainly matches `path`, generalised from it by `choices`. */
const generalise = (path: string, choices: ReadonlyArray<number>): Pattern => {
  let n = 0
  const next = (k: number) => choices[n++ % choices.length]! % k
  const out: Array<Seg> = []
  const segments = path.split("/")
  for (let i = 0; i < segments.length; i++) {
    const roll = next(10)
    if (roll === 0) {
      // `**` swallowing this segment and maybe the next few.
      out.push("**")
      i += next(3)
      continue
    }
    if (roll === 1) out.push("**") // `**` matching no segment here
    const chars = [...segments[i]!]
    const atoms: Array<Atom> = []
    for (let j = 0; j < chars.length; j++) {
      const c = chars[j]!
      switch (next(6)) {
        case 0:
          atoms.push({ _tag: "one" })
          break
        case 1:
          atoms.push({ _tag: "star" })
          j += next(3)
          break
        case 2:
          atoms.push({ _tag: "class", chars: c === "." ? ".a" : `${c}c`, negated: false })
          break
        case 3:
          atoms.push({ _tag: "alt", options: [c, "xy"] })
          break
        default:
          atoms.push({ _tag: "lit", c })
      }
    }
    out.push(atoms.length === 0 ? [{ _tag: "star" }] : atoms)
  }
  return out
}

describe("glob overlap", () => {
  const table: ReadonlyArray<readonly [string, string, boolean]> = [
    ["src/**", "src/a.ts", true],
    ["src/*.ts", "src/**/x.ts", true],
    ["*.ts", "src/a.ts", false],
    ["src/*.ts", "src/a/b.ts", false],
    ["src/**/*.ts", "src/a/b.ts", true],
    ["**/*.ts", "README.md", false],
    ["**", "anything/at/all", true],
    ["**", "**", true],
    ["src/**", "lib/**", false],
    ["src/**", "src", true],
    ["x/**/y", "x/y", true],
    ["src/a.ts", "src/a.ts", true],
    ["src/a.ts", "src/b.ts", false],
    ["src/a?.ts", "src/ab.ts", true],
    ["src/a?.ts", "src/a.ts", false],
    ["src/[abc].ts", "src/[!a-c].ts", false],
    ["src/[abc].ts", "src/[!a].ts", true],
    ["src/[a-c]*", "src/d*", false],
    ["src/[^x]", "src/x", false],
    ["src/[]]", "src/]", true],
    ["{src,lib}/*.ts", "lib/x.ts", true],
    ["{src,lib}/*.ts", "test/x.ts", false],
    ["src/*.{ts,tsx}", "src/a.js", false],
    ["src/*.{ts,tsx}", "src/b.tsx", true],
    ["src/{a/b,c}.ts", "src/a/*.ts", true],
    ["a{,.ts}", "a", true],
    ["a*b", "*c", false],
    ["a*", "*b", true],
    ["*a*", "*b*", true],
    ["a*a", "b*", false],
    ["*.test.ts", "*.spec.ts", false],
    ["src/**/test/**", "src/x/y/test/z.ts", true],
    ["src/**/test/*.ts", "**/test/**/x.ts", true],
    ["docs/*.md", "docs/**/*.ts", false],
    ["a/**/b/**/c", "a/b/c", true],
    ["a/**/b/**/c", "a/c", false],
    ["**/x/**", "y/**", true],
    ["ünï/*", "ünï/🐝", true],
    ["*/?", "?/*/*", false]
  ]
  for (const [p, q, expected] of table) {
    it(`${p} vs ${q}: ${expected ? "overlap" : "disjoint"} (both directions)`, () => {
      expect(overlaps(glob(p), glob(q))).toBe(expected)
      expect(overlaps(glob(q), glob(p))).toBe(expected)
      const witness = overlapWitness(glob(p), glob(q))
      if (expected) {
        expect(matches(glob(p), witness!)).toBe(true)
        expect(matches(glob(q), witness!)).toBe(true)
      } else expect(witness).toBeUndefined()
    })
  }

  it("matches concrete paths literally", () => {
    expect(matches(glob("src/**"), "src/a/b.ts")).toBe(true)
    expect(matches(glob("src/*"), "src/a/b.ts")).toBe(false)
    expect(matches(glob("*"), ".env")).toBe(true)
    // A concrete path with glob characters in it is only itself.
    expect(matches(glob("a[b]"), "a[b]")).toBe(false)
    expect(matches(glob("a*"), "a*")).toBe(true)
  })

  it("expands braces, nested and across segments, and refuses bad syntax", () => {
    expect(Either.getOrThrow(expandBraces("{src,lib}/*.{ts,tsx}"))).toEqual(["src/*.ts", "src/*.tsx", "lib/*.ts", "lib/*.tsx"])
    expect(Either.getOrThrow(expandBraces("a{b,{c,d}e}"))).toEqual(["ab", "ace", "ade"])
    expect(Either.getOrThrow(expandBraces("[{]x"))).toEqual(["[{]x"])
    expect(Either.isLeft(expandBraces("{a,b"))).toBe(true)
    expect(Either.isLeft(expandBraces("{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}"))).toBe(true)
    expect(Either.isLeft(parse("src/[ab"))).toBe(true)
    expect(Either.isLeft(parse("src/[z-a]"))).toBe(true)
    expect(Either.isLeft(parse("{..,a}/x"))).toBe(true)
  })

  it.prop("sound: when some path matches both, they overlap (random patterns)", [pattern, pattern, path], ([p, q, x]) => {
    if (referenceMatch(p, x) && referenceMatch(q, x)) {
      expect(overlaps(glob(render(p)), glob(render(q)))).toBe(true)
    }
  }, { fastCheck: { numRuns: 3000 } })

  it.prop(
    "sound: patterns generalised from one path always overlap",
    [path, fc.array(fc.nat(99), { minLength: 16, maxLength: 16 }), fc.array(fc.nat(99), { minLength: 16, maxLength: 16 })],
    ([x, c1, c2]) => {
      const p = generalise(x, c1)
      const q = generalise(x, c2)
      expect(referenceMatch(p, x)).toBe(true)
      expect(referenceMatch(q, x)).toBe(true)
      expect(overlaps(glob(render(p)), glob(render(q)))).toBe(true)
    },
    { fastCheck: { numRuns: 2000 } }
  )

  it.prop("exact: an overlap comes with a path that both match (checked by the reference)", [pattern, pattern], ([p, q]) => {
    const witness = overlapWitness(glob(render(p)), glob(render(q)))
    if (witness !== undefined) {
      expect(referenceMatch(p, witness)).toBe(true)
      expect(referenceMatch(q, witness)).toBe(true)
    }
  }, { fastCheck: { numRuns: 3000 } })

  it.prop("symmetric, and every pattern overlaps itself", [pattern, pattern], ([p, q]) => {
    const a = glob(render(p))
    const b = glob(render(q))
    expect(overlaps(a, b)).toBe(overlaps(b, a))
    expect(overlaps(a, a)).toBe(true)
  }, { fastCheck: { numRuns: 2000 } })

  it.prop("matches agrees with the reference matcher", [pattern, path], ([p, x]) => {
    expect(matches(glob(render(p)), x)).toBe(referenceMatch(p, x))
  }, { fastCheck: { numRuns: 3000 } })
})

describe("path normalisation", () => {
  const root = "/work/proj"
  const ok: ReadonlyArray<readonly [string, string]> = [
    ["src/a.ts", "src/a.ts"],
    ["./src//a.ts", "src/a.ts"],
    ["src\\lib\\a.ts", "src/lib/a.ts"],
    ["/work/proj/src/a.ts", "src/a.ts"],
    ["/work/proj/../proj/x", "x"],
    ["src/x/../a.ts", "src/a.ts"],
    ["src/", "src/**"],
    ["a/./b/", "a/b/**"],
    ["./", "**"],
    ["**/*.ts", "**/*.ts"],
    ["{src,lib}/**", "{src,lib}/**"]
  ]
  for (const [input, expected] of ok) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      expect(Either.getOrThrow(normalizePattern(input, root)).pattern).toBe(expected)
    })
  }
  const bad: ReadonlyArray<readonly [string, RegExp]> = [
    ["", /empty/],
    ["../x", /escapes the project root/],
    ["src/../../x", /escapes the project root/],
    ["/etc/passwd", /outside the project root/],
    ["/work/project-other/a", /outside the project root/],
    ["/work/proj", /root itself/],
    [".", /root itself/],
    ["src/*/../a", /after a wildcard/],
    ["src/[ab", /unclosed \[/],
    ["{a,b", /unclosed \{/],
    ["x".repeat(2000), /longer than/]
  ]
  for (const [input, message] of bad) {
    it(`${JSON.stringify(input.slice(0, 40))} is refused`, () => {
      const result = normalizePattern(input, root)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(result.left).toMatch(message)
    })
  }
})
