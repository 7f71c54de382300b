import { analyzeToken } from '../lexical/analyzer.js';
import type { SentencedText } from './answer-type.js';

/**
 * "What did <name> say about…?" is answered by what that person or body is reported to have said:
 * a sentence where the name stands as the subject of a verb of saying ("Khatibzadeh, Foreign
 * Ministry spokesman, said…", "An ISNA report on Thursday called the accusations…"), after one
 * ("…said Foreign Ministry spokesman Esmaeil Baghaei", "according to Microsoft"), or a sentence
 * opening "He said…" right after one that names them. A passage that only mentions them
 * ("threats against key figures, including Mike Pompeo") does not say what they said. Only a
 * name the question gives right after "what did / has" and before its verb of saying is read,
 * and not a place: news lets a capital speak for its government in too many ways ("Washington
 * warned", "the U.S. told Iran") to check. "What does the GDPR say…" asks what a text states,
 * which any passage about it may answer: the present tense is not checked.
 */
export interface SpeakerCheck {
  /** The speaker as the question writes it ("Mike Pompeo", "President Biden"). */
  speaker: string;
  /** Whether the text names the speaker: each of its capitalised words, as the index reads words. */
  mentions(text: SentencedText): boolean;
  /** Whether the text reports something the speaker said. */
  quotes(text: SentencedText): boolean;
  /**
   * The same check, knowing the speaker also by the name `texts` complete theirs to: "Kamala"
   * asked of "Kamala Harris" is quoted where "Harris has condemned…".
   */
  withNamesFrom(texts: readonly string[]): SpeakerCheck;
}

/** What the speaker check asks of the lexicon (WordNet through `Bridges`). */
export interface SpeakerLexicon {
  isPlaceOrAdjective(word: string): boolean;
  /** Whether a verb is one of saying, in its most frequent senses ("emphasizing", "rebuffed", "blast"). */
  isCommunicationVerb(word: string): boolean;
}

const ASKS_WHAT = /^\s*what\s+(?:did|has|have|had)\s+/iu;
// The speaker, then the verb in lower case, so that "the Huffington Post say" keeps its "Post".
const SPEAKER_THEN_VERB =
  /^(.+?)\s+(?:(?:himself|herself|itself|themselves|personally|actually|really|ever|publicly|first|just|officially)\s+)?(?:say|said|tell|told|claim|claimed|call|called|write|written|wrote|state|stated|tweet|tweeted|post|posted)\b/u;
const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}'\u2019.-]*|of|the)$/u;
// Verbs of saying in the forms news writes them, beside WordNet's (whose inflection rules miss
// "said", "denied", "referred"), and what else reports a source ("according to Microsoft",
// "Microsoft identified…", "Vance has been vocally against…"). Verbs that are also common nouns
// ("Secretary of State", "the claims", "a phone call") are not read.
const SAYING =
  /^(?:says|said|saying|tells|told|stated|added|adds|noted|claimed|calls|called|described|describes|referred|refers|warns|warned|denied|denies|argued|argues|insisted|insists|remarked|wrote|writes|tweeted|posted|responded|replied|accused|praised|critici[sz]ed|condemned|dismissed|suggested|urged|announced|declared|explained|acknowledged|admitted|asserted|emphasi[sz]ed|stressed|vowed|threatened|promised|commented|rejected|alleged|hinted|reiterated|label(?:l)?ed|slammed|branded|mocked|joked|asked|demanded|predicted|questioned|confirmed|revealed|reported|signal(?:l)?ed|expressed|recalled|clarified|identified|highlighted|blasted|derided|spoke|assessed|concluded|estimated|testified|dubbed|vocal|vocally|according)$/iu;
// The verbs news puts before the speaker it quotes: "…,” said Foreign Ministry spokesman Esmaeil
// Baghaei", "according to Microsoft". Any other verb before a name has it as its object ("urging
// President Volodymyr Zelensky to…", "accused the Rouhani administration").
const QUOTES_BEFORE_SPEAKER = /^(?:says|said|added|adds|wrote|writes|noted|replied|asked|explained|according)$/iu;
// Verbs that report words only before what was said ("Kyiv maintained to be a non-starter",
// "…maintained that…"), not before what was kept up ("has maintained strong support").
const SAYING_BEFORE_CLAUSE = /^(?:maintained|maintains)$/iu;
const CLAUSE_OPENER = /^(?:that|to)$/iu;
const NOUNS_TOO = /^(?:state|states|claim|claims|call|notes?|reports?|posts?|statements?|comments?|words?|answers?|questions?)$/iu;
const BEFORE_A_NOUN = /^(?:the|a|an|its|his|her|their|our|this|that|these|those|of|for|on|in|with|by|from|about|against)$/iu;
const WORD = /[\p{L}\p{N}]+(?:['\u2019.][\p{L}\p{N}]+)*/gu;
const REFERS_BACK = /^(?:he|she|they|it)$/iu;
// A capitalised run within one clause: spaces only between its words ("Kamala Harris", not "Pompeo, Iran").
const CAPITALISED_RUN = /\p{Lu}[\p{L}\p{N}'\u2019-]*(?:[ \u00A0]+\p{Lu}[\p{L}\p{N}'\u2019-]*)*/gu;
const CAPITALISED = /^\p{Lu}/u;
// How far a verb of saying may stand after its subject: "Alireza Miryousefi, a deputy press officer at the mission, said".
const AFTER_SUBJECT = 10;
// Lower-case words between a verb and the subject after it, titles aside ("said Foreign Ministry spokesman Esmaeil Baghaei").
const BEFORE_SUBJECT = 3;
// Capitalised words of a title and name between them ("Foreign Ministry spokesman Esmaeil Baghaei"); bounds the search.
const LONGEST_TITLE = 8;
const AFTER_PRONOUN = 3;

/** A text's words, and the term the index reads each as (undefined for a stop word). */
function wordsOf(text: string): Array<{ raw: string; term: string | undefined }> {
  return [...text.normalize('NFKC').matchAll(WORD)].map(([raw]) => ({ raw, term: analyzeToken(raw) }));
}

export function speakerCheckOf(question: string, lexicon: SpeakerLexicon): SpeakerCheck | null {
  const asked = ASKS_WHAT.exec(question);
  const rest = asked === null ? null : SPEAKER_THEN_VERB.exec(question.slice(asked[0].length));
  if (rest === null || rest === undefined) return null;
  const speaker = rest[1]!.trim();
  const words = speaker.split(/\s+/u);
  if (!words.every((word) => NAME_WORD.test(word)) || !CAPITALISED.test(words.at(-1)!)) return null;
  if (words.some((word) => CAPITALISED.test(word) && lexicon.isPlaceOrAdjective(word.replace(/['\u2019]s$/u, '')))) return null;
  const nameTerms = words.filter((word) => CAPITALISED.test(word)).flatMap((word) => analyzeToken(word) ?? []);
  const head = nameTerms.at(-1);
  if (head === undefined) return null;
  return checkFor(speaker, nameTerms, new Set([head]), lexicon);
}

/** The check of `speaker`, known by the terms `heads` (the last word of each name it goes by). */
function checkFor(speaker: string, nameTerms: readonly string[], heads: ReadonlySet<string>, lexicon: SpeakerLexicon): SpeakerCheck {
  const head = nameTerms.at(-1)!;
  const isHead = (term: string | undefined) => term !== undefined && heads.has(term);

  const says = (sentence: ReadonlyArray<{ raw: string }>, i: number): boolean => {
    const { raw } = sentence[i]!;
    if (SAYING.test(raw)) return true;
    if (SAYING_BEFORE_CLAUSE.test(raw)) return CLAUSE_OPENER.test(sentence[i + 1]?.raw ?? '');
    // After a determiner or preposition the word is a noun: "support for the sanctions".
    if (CAPITALISED.test(raw) || NOUNS_TOO.test(raw) || BEFORE_A_NOUN.test(sentence[i - 1]?.raw ?? '')) return false;
    return lexicon.isCommunicationVerb(raw);
  };
  const reportsSaying = (sentence: ReadonlyArray<{ raw: string; term: string | undefined }>): boolean => {
    const at = sentence.flatMap(({ term }, i) => (isHead(term) ? [i] : []));
    // Most sentences do not name the speaker: no verb need be looked up in them.
    if (at.length === 0) return false;
    return sentence.some((_, verb) => {
      if (!says(sentence, verb)) return false;
      return at.some((n) => {
        if (verb > n) return verb - n <= AFTER_SUBJECT;
        if (n - verb > BEFORE_SUBJECT + LONGEST_TITLE || !QUOTES_BEFORE_SPEAKER.test(sentence[verb]!.raw)) return false;
        const between = sentence.slice(verb + 1, n).filter(({ raw }) => !CAPITALISED.test(raw));
        return between.length <= BEFORE_SUBJECT;
      });
    });
  };
  return {
    speaker,
    mentions({ text }) {
      const terms = new Set(wordsOf(text).map(({ term }) => term));
      return nameTerms.every((term) => terms.has(term));
    },
    quotes({ text, sentences }) {
      let named = false;
      for (const { start, end } of sentences) {
        const sentence = wordsOf(text.slice(start, end));
        if (reportsSaying(sentence)) return true;
        // "…Alireza Miryousefi, also denied… “Unlike the US…,” he said."
        const pronouns = sentence.flatMap(({ raw }, i) => (REFERS_BACK.test(raw) ? [i] : []));
        if (named && pronouns.some((i) => sentence.slice(i + 1, i + 1 + AFTER_PRONOUN).some((_, j) => says(sentence, i + 1 + j)))) return true;
        named = sentence.some(({ term }) => isHead(term)) || (named && pronouns.length > 0);
      }
      return false;
    },
    withNamesFrom(texts) {
      const more = new Set(heads);
      for (const text of texts) {
        for (const [run] of text.normalize('NFKC').matchAll(CAPITALISED_RUN)) {
          const terms = run.split(/[ \u00A0]+/u).map((word) => analyzeToken(word));
          const last = terms.at(-1);
          if (last !== undefined && terms.slice(0, -1).includes(head)) more.add(last);
        }
      }
      return more.size === heads.size ? this : checkFor(speaker, nameTerms, more, lexicon);
    },
  };
}
