import type { Distribution } from './stats.js';

/** What a section hands back: its figures for the JSON file, the same figures as tables, and the targets it checks. */
export interface SectionResult {
  key: string;
  figures: Record<string, unknown>;
  tables: Table[];
  targets: Target[];
}

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** Printed under the table: what the figures mean or how they were taken. */
  note?: string;
}

export interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean;
}

/** Milliseconds with precision that suits their size. */
export function ms(value: number): string {
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

export function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
}

/** Milliseconds below a second, seconds above. */
export function duration(milliseconds: number): string {
  return milliseconds >= 1000 ? seconds(milliseconds) : `${ms(milliseconds)} ms`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** p50, p99 and runs of a distribution, as three table cells. */
export function latencyCells(distribution: Distribution): string[] {
  return [ms(distribution.p50), ms(distribution.p99), String(distribution.runs)];
}

/** A Markdown table, so a run's output can be pasted into the README as it is. */
export function renderTable(table: Table): string {
  const widths = table.header.map((cell, column) =>
    Math.max(cell.length, ...table.rows.map((row) => (row[column] ?? '').length), 3),
  );
  const line = (cells: string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  const lines = [`### ${table.title}`, '', line(table.header), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`];
  lines.push(...table.rows.map(line));
  if (table.note) lines.push('', table.note);
  return `${lines.join('\n')}\n`;
}

export function targetsTable(targets: Target[]): Table {
  return {
    title: 'Targets',
    header: ['target', 'goal', 'measured', 'met'],
    rows: targets.map((target) => [target.what, target.goal, target.measured, target.met ? 'yes' : 'NO']),
  };
}
