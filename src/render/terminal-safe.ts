// Escape sequences (CSI, OSC up to its terminator or the end of the line, the other ESC
// sequences: ESC c resets the terminal, ESC 7 and ESC 8 move the cursor), in their 7- and
// 8-bit forms; then any control character left but tab and newline.
const ESCAPE_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` with everything a terminal would act on removed, for printing corpus text (quotes,
 * titles, file names): a document holding `ESC]0;…BEL` or `ESC[2J` must not retitle or clear
 * the reader's terminal. Only text output goes through this; JSON keeps the text exact.
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}
