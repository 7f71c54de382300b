/**
 * Questions about everyday things no particular document collection is about. Scored against a
 * corpus, they show how confident retrieval is on that corpus with that model when nothing
 * answers: the baseline the "not found" threshold is set above (see `calibration.ts`). They span
 * many fields so that a corpus about any one of them (a cookbook, a football wiki) still leaves
 * most of them unanswered; the threshold uses a high quantile, not the maximum, for that reason.
 */
export const NULL_QUESTIONS: readonly string[] = [
  'How long should I boil an egg for a soft yolk?',
  'What is a good recipe for banana bread?',
  'Which wine goes well with grilled salmon?',
  'How do I get rid of aphids on my roses?',
  'When should tomato seedlings be planted outdoors?',
  'How often should a cactus be watered?',
  'What is the offside rule in football?',
  'Who holds the record for the most Olympic gold medals in swimming?',
  'How many players are on a basketball team?',
  'How do I improve my chess openings?',
  'What is the best way to train for a marathon?',
  'How do I change a flat tyre on a bicycle?',
  'What causes the northern lights?',
  'How far is the Moon from the Earth?',
  'Why is the sky blue?',
  'What is the speed of light in a vacuum?',
  'How do volcanoes form?',
  'What is photosynthesis?',
  'How do I reverse a linked list in Python?',
  'What is the difference between TCP and UDP?',
  'How do I centre a div with CSS?',
  'Why does my laptop battery drain so fast?',
  'How do I reset my router password?',
  'What is the plot of Pride and Prejudice?',
  'Who painted the ceiling of the Sistine Chapel?',
  'What key is Beethoven’s fifth symphony in?',
  'Recommend a good science fiction novel.',
  'How do I learn to play the guitar?',
  'What is the capital of Australia?',
  'What is the tallest mountain in Africa?',
  'Which is the longest river in South America?',
  'What language is spoken in Brazil?',
  'How do I remove a red wine stain from a carpet?',
  'How often should I change the oil in my car?',
  'What is the best way to fall asleep quickly?',
  'How much water should a person drink each day?',
  'How do I teach my dog to sit?',
  'What do pandas eat?',
  'How do I write a cover letter for a job application?',
  'What is compound interest?',
];
