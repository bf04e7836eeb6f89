/**
 * Signals for the prompt-injection scorer: phrases matched on folded text
 * (NFKC, invisible characters removed, homoglyphs folded, lowercased).
 * Weights are the probability-like strength of one signal; signals of
 * different kinds near each other combine (see prompt-injection.ts).
 * Vocabularies are closed on purpose: "ignore the typo in my previous
 * message" must not read as "ignore the previous instructions".
 */

export interface Signal {
  kind: string
  weight: number
  source: string
}

const FILLER =
  '(?:all|any|the|your|its|their|of|these|those|every|each|previous|prior|above|earlier|preceding|foregoing|initial|original|system|developer|safety|content|existing|current|old|given|such)'
const OBJECT =
  '(?:instructions?|prompts?|rules|directions|directives?|guidelines|guardrails?|constraints|programming|restrictions|policies|filters)'
const YOU_ARE = "you(?:\\s+are|'re|’re)"
const FENCE = '(?=\\s*(?:[.,;:!]|$|and\\b|then\\b|instead\\b|now\\b))'

/** All signals; order decides which one is reported when several start at the same offset. */
export const SIGNALS: readonly Signal[] = [
  { kind: 'override', weight: 0.9, source: `\\b(?:ignore|disregard|forget|override|bypass|discard|neglect)(?:\\s+${FILLER}){0,4}\\s+${OBJECT}\\b` },
  { kind: 'override', weight: 0.8, source: `\\b(?:ignore|disregard|forget)\\s+(?:(?:all|everything|anything)\\s+)?(?:(?:of\\s+)?(?:the|what(?:'s|\\s+is|\\s+was)?)\\s+)?(?:(?:said|written|stated)\\s+)?(?:above|before|prior)${FENCE}` },
  { kind: 'override', weight: 0.9, source: "\\bforget\\s+(?:everything|all)\\s+(?:that\\s+)?you(?:'ve|\\s+have|\\s+were|\\s+had)?\\s+(?:been\\s+)?(?:told|taught|learned|instructed)" },
  { kind: 'override', weight: 0.8, source: `\\b(?:ignore|bypass|disable|turn\\s+off|remove|deactivate)\\s+(?:(?:your|all|the|any|of)\\s+)*(?:safety|content|ethical|moral)\\s+(?:filters?|guidelines|restrictions|protocols|rules|settings)` },
  { kind: 'persona', weight: 0.9, source: `\\b${YOU_ARE}\\s+(?:now\\s+)?(?:dan|stan)\\b` },
  { kind: 'persona', weight: 0.8, source: '\\bdo\\s+anything\\s+now\\b' },
  { kind: 'persona', weight: 0.7, source: '\\b(?:dan|stan|jailbreak)\\s+mode\\b' },
  { kind: 'persona', weight: 0.7, source: `\\b${YOU_ARE}\\s+no\\s+longer\\s+(?:bound|restricted|limited|required|an?\\s+(?:ai|assistant|language\\s+model)|chatgpt|claude)\\b` },
  { kind: 'persona', weight: 0.8, source: '\\b(?:act|behave|respond)\\s+as\\s+(?:an?\\s+)?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|amoral|unethical)\\b' },
  { kind: 'persona', weight: 0.6, source: '\\bnot\\s+bound\\s+by\\s+(?:any\\s+)?(?:rules|guidelines|policies|restrictions)\\b' },
  { kind: 'devmode', weight: 0.8, source: `\\b(?:${YOU_ARE}\\s+(?:now\\s+)?in|(?:chatgpt|assistant|ai|model|you)\\s+with)\\s+(?:the\\s+)?(?:developer|dev|god|debug)\\s+mode\\b` },
  { kind: 'devmode', weight: 0.35, source: '\\b(?:developer|god|sudo)\\s+mode\\b' },
  { kind: 'exfil', weight: 0.85, source: '\\b(?:reveal|leak|disclose|dump|expose|divulge)\\s+(?:to\\s+me\\s+)?(?:your|the)\\s+(?:(?:full|entire|exact|complete|original|initial|hidden|secret|internal|verbatim)\\s+){0,2}(?:system\\s+)?(?:prompt|message|instructions?)\\b' },
  { kind: 'exfil', weight: 0.85, source: '\\b(?:print|show|output|repeat|display|recite|write\\s+out|spell\\s+out|tell|give|what\\s+(?:is|are|was|were))\\s+(?:me\\s+)?your\\s+(?:(?:full|entire|exact|complete|original|initial|hidden|secret|internal)\\s+){0,2}(?:system\\s+)?(?:prompt|message|instructions?)\\b' },
  { kind: 'exfil', weight: 0.45, source: '\\b(?:print|show|output|repeat|display|recite|tell|give)\\s+(?:me\\s+)?the\\s+(?:(?:full|entire|exact|complete|original|initial|hidden|secret|internal)\\s+){0,2}(?:system|initial|hidden|secret)\\s+(?:prompt|message|instructions?)\\b' },
  { kind: 'exfil', weight: 0.8, source: '\\b(?:repeat|print|output|copy|reproduce)\\s+(?:all\\s+)?(?:of\\s+)?(?:the\\s+)?(?:words|text|everything|content|lines)\\s+(?:above|before|preceding)\\b' },
  { kind: 'marker', weight: 0.6, source: '<\\|?im_start\\|?>\\s*system|\\[/?inst\\]|<<\\s*sys\\s*>>|#{2,}\\s*(?:system|instruction)s?\\b|\\bsystem\\s+override\\b' },
  { kind: 'marker', weight: 0.5, source: '\\bnew\\s+(?:system\\s+)?instructions?\\s*:' },
  { kind: 'roleplay', weight: 0.3, source: `\\bpretend\\s+(?:that\\s+)?(?:${YOU_ARE}|you\\s+(?:have|can))\\b` },
  { kind: 'roleplay', weight: 0.35, source: '\\bfrom\\s+now\\s+on,?\\s+you\\s+(?:are|will|must|shall)\\b' },
  { kind: 'roleplay', weight: 0.3, source: '\\bstay\\s+in\\s+character\\b' },
  { kind: 'unrestricted', weight: 0.45, source: '\\b(?:amoral|unfiltered|uncensored|unrestricted|jailbroken)\\s+(?:ai|assistant|chatbot|model|version|persona)\\b' },
  { kind: 'unrestricted', weight: 0.4, source: '\\b(?:without|no|free\\s+(?:of|from))\\s+(?:any\\s+)?(?:(?:ethical|moral|content|safety)\\s+)?(?:restrictions|limitations|limits|filters|filtering|censorship|guidelines|rules|boundaries)\\b' },
  { kind: 'persona', weight: 0.4, source: '\\byou\\s+can\\s+(?:say|do|answer)\\s+anything\\b' },
  { kind: 'override', weight: 0.4, source: '\\bbreak\\s+(?:the|all|your)\\s+rules\\b' },
  { kind: 'jailbreak', weight: 0.35, source: '\\bjailbr(?:eak|oken)\\b' },
  { kind: 'policy', weight: 0.25, source: "\\b(?:openai|anthropic)(?:'s|’s)?\\s+(?:content\\s+|usage\\s+)?polic(?:y|ies)\\b" },
]

/** Longest encoded run the scorer decodes, in characters (a phrase, not an image). */
export const ENCODED_MAX = 400
/**
 * A run of 16 to ENCODED_MAX base64 characters (hex is a subset), whole:
 * runs longer than that are not decoded. Case-sensitive: run on unfolded text.
 */
export const ENCODED_SOURCE = `(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,${ENCODED_MAX}}={0,2}(?![A-Za-z0-9+/=])`
