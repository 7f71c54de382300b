/**
 * Run with tsx, as the bot runs: reads the PDF named on the command line and prints whether
 * `Array.prototype.push` and `JSON.parse` are still the functions the process started with.
 * Compared by identity: core-js makes its replacements print as `[native code]`. (Under vitest's
 * module runner pdf.js's core-js leaves them; under tsx it replaced them, so this runs as the
 * product does.)
 */
import { readFile } from 'node:fs/promises';

const { push } = Array.prototype;
const { parse } = JSON;
// Imported only now, so that whatever loading the reader does happens after the built-ins were taken.
const { extractPdf } = await import('../../src/corpus/formats/pdf.js');
const { text } = await extractPdf(await readFile(process.argv[2]!));
process.stdout.write(JSON.stringify({ extracted: text.length > 0, push: Array.prototype.push === push, parse: JSON.parse === parse }));
