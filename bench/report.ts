import { writeFileSync } from 'node:fs';
import { fmt } from './stats.ts';

export interface Metric {
  key: string;
  /** The printed line, without the verdict. */
  text: string;
  /** null: informational, no target. */
  pass: boolean | null;
  values: Record<string, number | string | null>;
  notes: string[];
}

export const verdict = (pass: boolean | null): string => (pass === null ? '' : pass ? ' PASS' : ' MISS');

export function printMetric(m: Metric): void {
  process.stdout.write(`${m.text}${verdict(m.pass)}\n`);
  for (const n of m.notes) process.stdout.write(`    ${n}\n`);
}

export function ratioMetric(
  key: string,
  label: string,
  unit: string,
  value: number,
  ceiling: number,
  ceilingLabel: string,
  op: '>=' | '<=',
  target: number,
  notes: string[],
): Metric {
  const ratio = value / ceiling;
  const pass = op === '>=' ? ratio >= target : ratio <= target;
  return {
    key,
    text: `${label}: ${fmt(value)} ${unit} vs ${ceilingLabel} ${fmt(ceiling)} ${unit} = ${fmt(ratio)}x (target ${op} ${target}x)`,
    pass,
    values: { value, ceiling, ratio, target },
    notes,
  };
}

export function limitMetric(
  key: string,
  label: string,
  value: number,
  unit: string,
  target: number,
  notes: string[],
): Metric {
  return {
    key,
    text: `${label}: ${fmt(value)} ${unit} (target <= ${fmt(target)} ${unit})`,
    pass: value <= target,
    values: { value, target },
    notes,
  };
}

export function printSummary(metrics: Metric[], errors: string[]): void {
  const judged = metrics.filter((m) => m.pass !== null);
  const missed = judged.filter((m) => m.pass === false).map((m) => m.key);
  process.stdout.write(
    `\nsummary: ${judged.length - missed.length}/${judged.length} targets met` +
      `${missed.length ? `; missed: ${missed.join(', ')}` : ''}${errors.length ? `; ${errors.length} phase(s) failed` : ''}\n`,
  );
  for (const e of errors) process.stdout.write(`  error: ${e}\n`);
}

export function writeJson(file: string, data: object): void {
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
