#!/usr/bin/env node
// Runs every check the project has (types, lint, format, unit, integration, end-to-end) and ends
// with one line "N passed, N failed" that totals them all, so a run that tested nothing shows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const outDir = path.resolve('.test-output');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function check(label, command, args) {
  if (run(label, command, args)) passed += 1;
  else {
    failed += 1;
    console.log(`--- ${label} FAILED`);
  }
}

check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
check('lint', 'npx', ['eslint', '.']);
check('format', 'npx', ['prettier', '--check', '.']);
const built = run('build', 'npx', ['electron-vite', 'build']);
if (!built) failed += 1;

const only = process.env['VLOG_TEST_PROJECTS']?.split(',') ?? ['unit', 'integration', 'e2e'];
for (const project of only) {
  if (project === 'e2e' && !built) {
    console.log('--- e2e not run: the build failed');
    continue;
  }
  const report = path.join(outDir, `${project}.json`);
  run(`vitest ${project}`, 'npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) {
    failed += 1;
    console.log(`--- vitest ${project} produced no report: counted as one failure`);
    continue;
  }
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  // A file that fails to load has no tests in the counts; count it so it cannot hide.
  for (const file of summary.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
  }
  console.log(
    `--- vitest ${project}: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed`,
  );
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
