import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import type { SourceInfo } from '../retrieval/types.js';
import { LIMITS, truncate } from './discord-limits.js';

/**
 * Autocomplete choices over the indexed documents: those whose title or file name contains what
 * has been typed, at most Discord's 25, each valued by its file name (which must fit a choice's
 * 100 characters). `label` is what the list shows of each.
 */
export function documentChoices(
  sources: readonly SourceInfo[],
  typed: string,
  { label, include = () => true }: { label: (info: SourceInfo) => string; include?: (info: SourceInfo) => boolean },
): ApplicationCommandOptionChoiceData<string>[] {
  const wanted = typed.toLowerCase();
  return sources
    .filter((info) => info.source.length <= LIMITS.choiceName && include(info))
    .filter((info) => wanted === '' || info.title.toLowerCase().includes(wanted) || info.source.toLowerCase().includes(wanted))
    .slice(0, LIMITS.choices)
    .map((info) => ({ name: truncate(label(info), LIMITS.choiceName), value: info.source }));
}
