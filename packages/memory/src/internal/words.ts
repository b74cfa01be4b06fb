/**
 * Words as both retrievers see them: Unicode-normalised (NFKD, marks removed), lower case, runs of
 * letters and digits. Full-text search tokenises with FTS5's `unicode61 remove_diacritics 2`, which
 * splits on the same characters, so a hyphenated term becomes the same word sequence on both sides.
 */

const WORD = /[\p{L}\p{N}\p{Co}]+/gu
const MARKS = /\p{M}+/gu

export const normalizeText = (text: string): string => text.normalize("NFKD").replace(MARKS, "").toLowerCase()

/** The words of `text`, normalised, in order. */
export const wordsOf = (text: string): Array<string> => normalizeText(text).match(WORD) ?? []

/** Common English function words: they carry no topic, so neither retriever weighs them. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having he her " +
    "him his how i if in into is it its itself just me more most my no nor not of off on once only or other " +
    "our ours out over own same she should so some such than that the their theirs them then there these they " +
    "this those through to too under until up very was we were what when where which while who whom why will " +
    "with would you your yours about above after again against all am any because before below between both " +
    "down during each few further here s t don also"
  ).split(" ")
)

/** The words of `text` without stopwords (all of them if that would leave none). */
export const contentWordsOf = (text: string): Array<string> => {
  const words = wordsOf(text)
  const content = words.filter((w) => !STOPWORDS.has(w))
  return content.length > 0 ? content : words
}
