import { ApplicationCommandType } from 'discord.js';
import { runMain } from '../run-main.js';
import { readBotSettings } from './bot-settings.js';
import { deployCommands } from './deploy-commands.js';

// `npm run deploy-commands`: registers the slash commands (see deploy-commands.ts).
runMain(async () => {
  const settings = readBotSettings();
  const registered = await deployCommands(settings);
  const where = settings.guildId ? `server ${settings.guildId}` : 'all servers (global; may take up to an hour to appear)';
  // Slash commands as people type them; message commands as the Apps menu shows them.
  const names = registered.map((command) => (command.type === ApplicationCommandType.Message ? `Apps → ${command.name}` : `/${command.name}`));
  process.stdout.write(`Registered ${registered.length} commands (${names.join(', ')}) for ${where}.\n`);
});
