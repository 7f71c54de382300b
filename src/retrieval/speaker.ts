import type { SentencedText } from './answer-type.js';

/**
 * "What did <name> say about…?" is answered by what that person or body is reported to have said:
 * a sentence where the name stands as the subject of a verb of saying ("Khatibzadeh, Foreign
 * Ministry spokesman, said…", "An ISNA report on Thursday called the accusations…"), after one
 * ("…said Khatibzadeh"), or a sentence opening "He said…" right after one that names them. A
 * passage that only mentions them ("threats against key figures, including Mike Pompeo") does
 * not say what they said. Only a name the question gives right after "what did" and before its
 * verb of saying is read, and not a place: news lets a capital speak for its government in too
 * many ways ("Washington warned", "the U.S. told Iran") to check.
 */
export interface SpeakerCheck {
  /** The speaker as the question writes it ("Mike Pompeo", "President Biden"). */
  speaker: string;
  /** Whether the text reports something the speaker said. */
  quotes(text: SentencedText): boolean;
}

/** What the speaker check asks of the lexicon (WordNet through `Bridges`). */
export interface SpeakerLexicon {
  isPlaceOrAdjective(word: string): boolean;
}

// "What did / has / does <name> [himself, personally…] say / tell / claim / call…": the words between are the speaker.
const ASKS_WHAT_WAS_SAID =
  /^\s*what\s+(?:did|does|do|has|have|had)\s+(.+?)\s+(?:(?:himself|herself|itself|themselves|personally|actually|really|ever|publicly|first|just|officially)\s+)?(?:say|said|tell|told|claim|claimed|call|called|write|written|state|stated|tweet|tweeted|post|posted)\b/iu;
const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}'\u2019.-]*|of|the)$/u;
// Verbs of saying, in the forms news reports them, and what else reports a source ("according to
// Microsoft", "Microsoft identified…", "Vance has been vocally against…"); not the verbs that are
// also common nouns ("Secretary of State", "the claims", "a phone call", "notes").
const SAYING =
  /^(?:says?|said|saying|tells?|told|stated|added|adds|noted|claimed|calls|called|described|describes|referred|refers|warn(?:s|ed)?|denie[sd]|argued|argues|insisted|insists|remarked|wrote|writes|tweeted|posted|responded|replied|accused|praised|critici[sz]ed|condemned|dismissed|suggested|urged|announced|declared|explained|acknowledged|admitted|asserted|emphasi[sz]ed|stressed|vowed|threatened|promised|commented|rejected|alleged|hinted|reiterated|label(?:l)?ed|slammed|branded|mocked|joked|asked|demanded|predicted|questioned|confirmed|revealed|reported|signal(?:l)?ed|expressed|recalled|clarified|identified|vocal|vocally|according)$/iu;
// Verbs that report words only before what was said ("Kyiv maintained to be a non-starter",
// "…maintained that…"), not before what was kept up ("has maintained strong support").
const SAYING_BEFORE_CLAUSE = /^(?:maintained|maintains)$/iu;
const CLAUSE_OPENER = /^(?:that|to)$/iu;
const WORD = /[\p{L}\p{N}]+(?:[-'\u2019.][\p{L}\p{N}]+)*/gu;
const REFERS_BACK = /^(?:he|she|they|it)$/iu;
// How far a verb of saying may stand from its subject: "Saeed Khatibzadeh, Foreign Ministry spokesman, said".
const AFTER_SUBJECT = 8;
const BEFORE_SUBJECT = 3;
const AFTER_PRONOUN = 3;

function wordsOf(text: string): string[] {
  return [...text.matchAll(WORD)].map(([word]) => word.replace(/['\u2019]s$/u, ''));
}

const says = (words: readonly string[], i: number): boolean =>
  SAYING.test(words[i]!) || (SAYING_BEFORE_CLAUSE.test(words[i]!) && CLAUSE_OPENER.test(words[i + 1] ?? ''));

/** Whether `words` report `name` (its last word) saying something. */
function reportsSaying(words: readonly string[], name: string): boolean {
  const at = words.flatMap((word, i) => (word.toLowerCase() === name ? [i] : []));
  return words.some((_, verb) => says(words, verb) && at.some((n) => (verb > n && verb - n <= AFTER_SUBJECT) || (n > verb && n - verb <= BEFORE_SUBJECT)));
}

export function speakerCheckOf(question: string, lexicon: SpeakerLexicon): SpeakerCheck | null {
  const asked = ASKS_WHAT_WAS_SAID.exec(question);
  if (asked === null) return null;
  const speaker = asked[1]!.trim();
  const words = speaker.split(/\s+/u);
  if (!words.every((word) => NAME_WORD.test(word)) || !/^\p{Lu}/u.test(words.at(-1)!)) return null;
  if (words.some((word) => /^\p{Lu}/u.test(word) && lexicon.isPlaceOrAdjective(word.replace(/['\u2019]s$/u, '')))) return null;
  const name = words.at(-1)!.replace(/['\u2019]s$/u, '').toLowerCase();
  return {
    speaker,
    quotes({ text, sentences }) {
      let named = false;
      for (const { start, end } of sentences) {
        const sentence = wordsOf(text.slice(start, end));
        if (reportsSaying(sentence, name)) return true;
        // "…Alireza Miryousefi, also denied… “Unlike the US…,” he said."
        const pronouns = sentence.flatMap((word, i) => (REFERS_BACK.test(word) ? [i] : []));
        const pronounSays = pronouns.some((i) => sentence.slice(i + 1, i + 1 + AFTER_PRONOUN).some((_, j) => says(sentence, i + 1 + j)));
        if (named && pronounSays) return true;
        named = sentence.some((word) => word.toLowerCase() === name) || (named && pronouns.length > 0);
      }
      return false;
    },
  };
}
