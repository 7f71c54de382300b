import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { RenderedMessage } from './render-answer.js';

export interface Reply {
  message: RenderedMessage;
  /** Seen only by the person who asked (a "not found", a refusal, a private answer). */
  ephemeral: boolean;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Replies directly when `work` is done within `deferAfterMs`, else defers first so Discord's
 * 3-second deadline is never missed, then edits the deferred reply. A deferral is public or
 * private before the answer is known; an answer that turns out private after a public deferral
 * replaces it with a private follow-up.
 */
export async function replyInTime(
  interaction: RepliableInteraction,
  work: Promise<Reply>,
  { deferAfterMs, ephemeral }: { deferAfterMs: number; ephemeral: boolean },
): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), deferAfterMs);
  });
  const early = await Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  if (early !== TIMED_OUT) {
    await interaction.reply({ ...early.message, flags: early.ephemeral ? MessageFlags.Ephemeral : undefined });
    return early;
  }
  await interaction.deferReply({ flags: ephemeral ? MessageFlags.Ephemeral : undefined });
  const reply = await work;
  if (reply.ephemeral && !ephemeral) {
    await interaction.deleteReply();
    await interaction.followUp({ ...reply.message, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.editReply(reply.message);
  }
  return reply;
}
