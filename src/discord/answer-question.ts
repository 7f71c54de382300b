import { InvalidQuestionError } from '../errors.js';
import type { BotContext } from './bot-context.js';
import { NO_MENTIONS, renderAnswer, renderNoAnswer } from './render-answer.js';
import type { Reply } from './reply-in-time.js';

export interface QuestionRequest {
  question: string;
  k: number;
  offset: number;
  source?: string;
  /** The asker wants the answer for their eyes only. */
  private: boolean;
}

/** The most results one answer shows: as many as it has room for a "Full passage" button each. */
export const MAX_RESULTS = 5;

/**
 * The longest question the bot takes, whatever MAX_QUESTION_CHARS allows: "More results" reads
 * the question back from the answer's footer (2,048 characters, with the result range beside it).
 */
export const MAX_DISCORD_QUESTION_CHARS = 1900;

/**
 * The index's document names in a fixed order: a button names its `source` filter by position
 * in it, to fit Discord's 100-character custom ids.
 */
export function sortedSources(bot: BotContext): string[] {
  return bot.engine.sources().map((info) => info.source).sort();
}

/** Searches (within the concurrency cap) and renders the reply: an answer, a "not found", or why the question was refused. */
export async function answerQuestion(bot: BotContext, request: QuestionRequest): Promise<Reply & { results: number; outcome: string }> {
  const { question, k, offset, source } = request;
  if (question.trim().length > MAX_DISCORD_QUESTION_CHARS) {
    return refusal(`In Discord a question can be at most ${MAX_DISCORD_QUESTION_CHARS} characters; this one has ${question.trim().length}. Ask about one thing at a time.`);
  }
  try {
    const answer = await bot.searches.run(() => bot.engine.search(question, { k, offset, source }));
    if (!answer.answered || answer.results.length === 0) {
      return { message: renderNoAnswer(answer.question, answer.notMentioned), ephemeral: true, results: 0, outcome: 'not_found' };
    }
    const sourceIndex = source === undefined ? null : sortedSources(bot).indexOf(source);
    return {
      message: renderAnswer(answer.question, answer, { k, offset, sourceIndex }),
      ephemeral: request.private,
      results: answer.results.length,
      outcome: 'answered',
    };
  } catch (error) {
    if (!(error instanceof InvalidQuestionError)) throw error;
    return refusal(error.message);
  }
}

function refusal(content: string): Reply & { results: number; outcome: string } {
  return { message: { content, embeds: [], components: [], allowedMentions: NO_MENTIONS }, ephemeral: true, results: 0, outcome: 'invalid_question' };
}
