import type { APIEmbed } from 'discord.js';
import type { RenderedMessage } from '../src/discord/render-answer.js';

/**
 * A message as Discord's dark theme draws it, from the message JSON the bot sends: embeds with
 * their colour bar, linked title, description and footer, and the buttons. Only the Markdown the
 * bot writes is drawn (block quotes, bold, italics, inline code, masked links, backslash escapes);
 * it is a picture for the README, not a Discord client.
 */

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline Markdown of one line, with escapes honoured first so `\*` stays a star. */
function inline(text: string): string {
  let out = '';
  const open: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      out += html(text[++i]!);
    } else if (text.startsWith('**', i)) {
      out += open.at(-1) === 'b' ? (open.pop(), '</b>') : (open.push('b'), '<b>');
      i += 1;
    } else if (char === '*') {
      out += open.at(-1) === 'i' ? (open.pop(), '</i>') : (open.push('i'), '<i>');
    } else if (char === '`') {
      const end = text.indexOf('`', i + 1);
      out += `<code>${html(text.slice(i + 1, end))}</code>`;
      i = end;
    } else if (char === '[') {
      const link = /^\[([^\]]*)\]\((https?:\/\/[^)\s]+)\)/.exec(text.slice(i));
      if (link) {
        out += `<a href="${html(link[2]!)}">${inline(link[1]!)}</a>`;
        i += link[0].length - 1;
      } else out += '[';
    } else out += html(char);
  }
  return out;
}

function description(text: string): string {
  const lines = text.split('\n');
  const blocks: string[] = [];
  for (const line of lines) {
    if (line.startsWith('> ')) {
      const last = blocks.at(-1);
      const quoted = inline(line.slice(2));
      if (last?.startsWith('<blockquote>')) blocks[blocks.length - 1] = last.replace('</blockquote>', `<br>${quoted}</blockquote>`);
      else blocks.push(`<blockquote>${quoted}</blockquote>`);
    } else if (line === '') blocks.push('<div class="gap"></div>');
    else blocks.push(`<div>${inline(line)}</div>`);
  }
  return blocks.join('');
}

function embed(item: APIEmbed): string {
  const colour = `#${(item.color ?? 0x202225).toString(16).padStart(6, '0')}`;
  const title = item.title ? `<div class="title">${item.url ? `<a href="${html(item.url)}">${inline(item.title)}</a>` : inline(item.title)}</div>` : '';
  const footer = item.footer ? `<div class="footer">${html(item.footer.text)}</div>` : '';
  return `<div class="embed" style="border-left-color:${colour}">${title}<div class="description">${description(item.description ?? '')}</div>${footer}</div>`;
}

interface ButtonJson {
  label?: string;
  emoji?: { name?: string };
  style?: number;
}

export function messageHtml(message: RenderedMessage, meta: { botName: string; question: string }): string {
  const rows = message.components
    .map((row) => row.toJSON().components as ButtonJson[])
    .map((buttons) => `<div class="row">${buttons.map((button) => `<span class="button ${button.style === 1 ? 'primary' : 'secondary'}">${html([button.emoji?.name, button.label].filter(Boolean).join(' '))}</span>`).join('')}</div>`)
    .join('');
  return `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; padding: 16px 20px; background: #313338; color: #dbdee1; font: 15px/1.375 "DejaVu Sans", "Noto Color Emoji", sans-serif; width: 760px; }
.head { display: flex; gap: 8px; align-items: baseline; } .name { color: #f2f3f5; font-weight: 600; }
.tag { background: #5865f2; color: #fff; font-size: 10px; padding: 1px 4px; border-radius: 3px; }
.asked { color: #949ba4; font-size: 13px; margin: 2px 0 6px; }
.embed { background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 16px 12px 12px; margin: 6px 0; max-width: 520px; font-size: 14px; }
.title { font-weight: 600; margin: 4px 0 8px; } a { color: #00a8fc; text-decoration: none; }
blockquote { margin: 0 0 2px; padding-left: 12px; border-left: 4px solid #4e5058; }
code { background: #1e1f22; border-radius: 3px; padding: 0 3px; font-size: 12.5px; }
.gap { height: 10px; } .footer { color: #b5bac1; font-size: 12px; margin-top: 8px; }
.row { display: flex; gap: 8px; margin-top: 8px; } .button { padding: 3px 14px; border-radius: 3px; font-size: 14px; color: #fff; }
.primary { background: #5865f2; } .secondary { background: #4e5058; }
</style><div class="head"><span class="name">${html(meta.botName)}</span><span class="tag">APP</span></div>
<div class="asked">used /ask question: ${html(meta.question)}</div>
${message.embeds.map(embed).join('')}${rows}`;
}
