import { InvalidQuestionError } from '../errors.js';
import type { AnswerOrigin } from '../feedback/answer-log.js';
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
  /** A further page of an answer already recorded: its buttons keep naming that one. */
  answerId?: number;
  /** The server asked in, or null in DMs: where /gaps finds the question. */
  guildId: string | null;
  /** A question the user asked, or a message's text they asked sources for (kept out of /gaps). */
  origin: AnswerOrigin;
}

/** The most results one answer shows: as many as it has room for a "Full passage" button each. */
export const MAX_RESULTS = 5;

/** Discord's longest string option; the engine's MAX_QUESTION_CHARS refuses long questions with its own message. */
export const MAX_OPTION_CHARS = 6000;

/**
 * Searches (within the concurrency cap) and renders the reply: an answer, a "not found", or why
 * the question was refused. An answer is recorded so that its buttons can name it; with feedback
 * on, a decline is recorded too.
 */
export async function answerQuestion(bot: BotContext, request: QuestionRequest): Promise<Reply & { results: number; outcome: string }> {
  const { question, k, offset, source } = request;
  try {
    // A server's questions are answered from the shared documents and its own only.
    const answer = await bot.searches.run(() => bot.engine.search(question, { k, offset, source, server: request.guildId }));
    const found = answer.answered && answer.results.length > 0;
    const { guildId, origin } = request;
    // The database failing (a full disk, a lock held too long) costs the buttons, never the answer.
    const record = (): number | null => {
      try {
        return bot.answers.record({ question: answer.question, source: source ?? null, results: k, indexVersion: answer.indexVersion, answered: found, guildId, origin });
      } catch (error) {
        bot.logger.log('error', 'answer_not_recorded', { error });
        return null;
      }
    };
    if (!found) {
      // A decline is what /gaps reads, so it is kept only with feedback on.
      if (bot.settings.feedback && request.answerId === undefined) record();
      return { message: renderNoAnswer(answer), ephemeral: true, results: 0, outcome: 'not_found' };
    }
    const answerId = request.answerId ?? record();
    return {
      message: renderAnswer(answer.question, answer, answerId === null ? null : { answerId, votes: bot.settings.feedback }),
      ephemeral: request.private,
      results: answer.results.length,
      outcome: 'answered',
    };
  } catch (error) {
    if (!(error instanceof InvalidQuestionError)) throw error;
    return { message: { content: error.message, embeds: [], components: [], allowedMentions: NO_MENTIONS }, ephemeral: true, results: 0, outcome: 'invalid_question' };
  }
}
