/**
 * Look-alike characters folded to Latin before keyword, regex and prompt
 * injection matching. The list covers the Cyrillic, Greek and Armenian
 * letters commonly used to dodge filters; fullwidth and other compatibility
 * forms are already handled by NFKC. Uppercase forms are folded before
 * lowercasing because some differ from their lowercase look-alike
 * (Greek capital eta looks like H, small eta like n).
 */

/** Pairs "<look-alike><latin>", uppercase look-alikes, folded before lowercasing. */
const UPPER_PAIRS =
  'АAВBЕEКKМMНHОOРPСCТTУYХXЅSІIЈJԀDҺHӀIΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX'

/** Pairs "<look-alike><latin>", lowercase look-alikes, folded after lowercasing. */
const LOWER_PAIRS =
  'аaвbеeкkмmнhоoрpсcтtуyхxѕsіiјjԁdһhԛqԝwүyӏlαaβbγyεeηnιiκkνvοoρpτtυuχxωwϲcϳjօoսuɑaıiɡg'

function pairs(s: string): Map<string, string> {
  const m = new Map<string, string>()
  for (let i = 0; i < s.length; i += 2) m.set(s[i]!, s[i + 1]!)
  return m
}

const UPPER = pairs(UPPER_PAIRS)
const LOWER = pairs(LOWER_PAIRS)

/** Folds look-alikes to Latin and lowercases. `s` is one NFKC-normalised character sequence. */
export function foldHomoglyphs(s: string): string {
  let up = ''
  for (let i = 0; i < s.length; i++) up += UPPER.get(s[i]!) ?? s[i]
  const low = up.toLowerCase()
  let out = ''
  for (let i = 0; i < low.length; i++) out += LOWER.get(low[i]!) ?? low[i]
  return out
}
