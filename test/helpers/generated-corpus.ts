import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const PLACES = ['Aldermoor', 'Brackwater', 'Caddon Fell', 'Dunmarrow', 'Eastry Cove', 'Fallowmere', 'Glenharrow', 'Holloway Reach', 'Istenby', 'Juniper Flats', 'Kestrel Point', 'Lowenmouth'];
const SUBJECTS = ['the ferry service', 'the grain store', 'the river gauge', 'the school roof', 'the orchard survey', 'the bridge repairs', 'the water mill', 'the library fund', 'the harbour wall', 'the bus timetable'];
const VERBS = ['reported', 'recorded', 'announced', 'estimated', 'confirmed', 'disputed'];
const THINGS = ['visitors', 'storms', 'crates', 'volunteers', 'complaints', 'boats', 'lamps', 'sheep'];

/**
 * Writes `count` distinct three-paragraph reports (`report-0001.txt`, …) into `dir`: a corpus large enough
 * to keep the model busy for seconds, with text varied enough that every file is its own passage.
 */
export async function writeGeneratedReports(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const place = PLACES[i % PLACES.length]!;
    const subject = SUBJECTS[(i * 7) % SUBJECTS.length]!;
    const year = 1850 + (i % 170);
    const paragraph = (part: number) =>
      `In ${year + part} the council of ${place} ${VERBS[(i + part) % VERBS.length]} that ${SUBJECTS[(i * 7 + part) % SUBJECTS.length]} ` +
      `had handled ${((i + part) * 37) % 900 + 12} ${THINGS[(i * 3 + part) % THINGS.length]} over the season, ` +
      `${(i + part) % 2 === 0 ? 'more' : 'fewer'} than the year before. The clerk, who signed part ${part + 1} of report ` +
      `number ${i + 1}, noted that ${THINGS[(i + part + 1) % THINGS.length]} and ${THINGS[(i + part + 4) % THINGS.length]} ` +
      `were counted separately, and that the figures for ${PLACES[(i + part + 3) % PLACES.length]} would follow in the spring.`;
    const text = [
      `Parish report ${i + 1}: ${subject} in ${place}`,
      '',
      paragraph(0),
      '',
      paragraph(1),
      '',
      paragraph(2),
      '',
    ].join('\n');
    const name = `report-${String(i + 1).padStart(4, '0')}.txt`;
    await writeFile(path.join(dir, name), text);
    names.push(name);
  }
  return names;
}
