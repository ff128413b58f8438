// Reads the vitest and Playwright JSON reports and prints the one closing line CI looks for.
// A missing report (a step before it failed) counts as a failure, so a red run can never look green.
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? '1');
let passed = 0;
let failed = 0;
let skipped = 0;

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);

const unit = read('reports/unit.json');
if (unit) {
  passed += unit.numPassedTests ?? 0;
  failed += unit.numFailedTests ?? 0;
  skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
  console.log(
    `unit tests: passed=${unit.numPassedTests} failed=${unit.numFailedTests} skipped=${unit.numPendingTests}`,
  );
} else {
  console.log('unit tests: no report (an earlier step failed)');
  failed += 1;
}

const e2e = read('reports/e2e.json');
if (e2e) {
  const s = e2e.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  console.log(`e2e tests: passed=${s.expected} failed=${s.unexpected} flaky=${s.flaky} skipped=${s.skipped}`);
} else {
  console.log('e2e tests: no report (an earlier step failed)');
  failed += 1;
}

if (status !== 0 && failed === 0) {
  // typecheck, lint or build failed although every test that ran passed
  console.log(`npm test exited with status ${status}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || status !== 0 ? 1 : 0);
