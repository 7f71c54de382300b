import { runMain } from '../run-main.js';
import { readBotSettings } from './bot-settings.js';
import { deployCommands } from './deploy-commands.js';

// `npm run deploy-commands`: registers the slash commands (see deploy-commands.ts).
runMain(async () => {
  const settings = readBotSettings();
  const registered = await deployCommands(settings);
  const where = settings.guildId ? `server ${settings.guildId}` : 'all servers (global; may take up to an hour to appear)';
  process.stdout.write(`Registered ${registered.length} commands (${registered.map((c) => `/${c.name}`).join(', ')}) for ${where}.\n`);
});
