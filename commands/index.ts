import type { Command } from '../src/discord/bot-context.js';
import * as ask from './ask.js';
import * as corpusChannels from './corpus-channels.js';
import * as documents from './documents.js';
import * as findSources from './find-sources.js';
import * as gaps from './gaps.js';
import * as help from './help.js';
import * as reindex from './reindex.js';
import * as sources from './sources.js';

/** Every command (slash and message commands), one module each; the bot and the deploy script both read this list. */
export const commands: Command[] = [ask, reindex, documents, corpusChannels, sources, help, gaps, findSources];
