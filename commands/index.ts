import type { BotCommand } from '../src/discord/bot-context.js';
import * as ask from './ask.js';
import * as help from './help.js';
import * as reindex from './reindex.js';
import * as sources from './sources.js';

/** Every slash command, one module each; the bot and the deploy script both read this list. */
export const commands: BotCommand[] = [ask, reindex, sources, help];
