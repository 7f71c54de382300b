/**
 * Words that are capitalised at the start of a sentence without being names: pronouns,
 * determiners, prepositions and connectives ("As Israel pressed…", "The Washington Post…",
 * "According to…"), and the sources news opens on ("Officials said…").
 */
export const SENTENCE_OPENER =
  /^(?:he|she|it|they|we|i|you|his|her|its|their|our|this|that|these|those|there|here|the|a|an|as|if|in|on|at|by|for|from|with|after|before|since|despite|during|while|when|where|why|how|what|which|who|but|and|or|so|yet|however|meanwhile|also|last|next|earlier|later|then|now|both|all|some|many|most|several|according|officials?|sources?)$/iu;
