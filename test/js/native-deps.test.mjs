// scripts/check-native-deps.sh, the guard that the shipped Native AOT bootstrap runs on Lambda's
// provided.al2023 (glibc 2.34, a fixed set of base libraries). Each rule is proved able to fail on
// a tiny binary compiled here that breaks it; the shipped bootstrap (BOOTSTRAP_PATH, when it is a
// native executable) must pass.
// Run: node --test test/js/native-deps.test.mjs   (needs cc and readelf, as the AOT build does)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './local-stack.mjs';

const checker = path.join(repoRoot, 'scripts/check-native-deps.sh');
const hasCc = spawnSync('cc', ['--version']).status === 0;
const skip = hasCc ? false : 'no C compiler (cc) on this machine: apt-get install gcc';

/** Runs the checker; returns its exit status and output. */
const check = (...args) => {
  const run = spawnSync('bash', [checker, ...args], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
};

describe('check-native-deps.sh', { skip }, () => {
  let dir;
  const compile = (name, source, ...flags) => {
    const file = path.join(dir, `${name}.c`);
    writeFileSync(file, source);
    execFileSync('cc', ['-o', path.join(dir, name), file, ...flags], { stdio: 'pipe' });
    return path.join(dir, name);
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'native-deps-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('check_PlainProgram_Passes', () => {
    const plain = compile('plain', '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
    const { status, output } = check(plain);
    assert.equal(status, 0, output);
    assert.match(output, /ok: .*needs libc\.so\.6/);
  });

  test('check_LibraryOutsideAllowList_Fails', () => {
    // A shared library of our own: exactly what AL2023 would not have.
    const lib = path.join(dir, 'libextra.so');
    writeFileSync(path.join(dir, 'extra.c'), 'int extra(void) { return 7; }\n');
    execFileSync('cc', ['-shared', '-fPIC', '-o', lib, path.join(dir, 'extra.c')], { stdio: 'pipe' });
    const linked = compile('linked', 'int extra(void);\nint main(void) { return extra(); }\n', `-L${dir}`, '-lextra');
    const { status, output } = check(linked);
    assert.equal(status, 1, output);
    assert.match(output, /needs libextra\.so, which is not on the AL2023 allow-list/);
  });

  test('check_SymbolNewerThanLimit_FailsAndNamesTheSymbols', () => {
    // __libc_start_main is GLIBC_2.34 for any program linked against glibc >= 2.34; a limit
    // below that must fail and say which symbols need the newer version.
    const plain = compile('limit', 'int main(void) { return 0; }\n');
    const { status, output } = check('--max-glibc', '2.33', plain);
    assert.equal(status, 1, output);
    assert.match(output, /needs GLIBC_2\.34 \(newer than 2\.33\) for: .*__libc_start_main/);
  });

  test('check_Glibc236Symbol_FailsAtTheLambdaLimit', (t) => {
    // arc4random is new in glibc 2.36 (this Debian's glibc): a real symbol AL2023 lacks.
    let binary;
    try {
      binary = compile('random', '#include <stdlib.h>\nint main(void) { return (int)(arc4random() & 1); }\n');
    } catch {
      t.skip('this machine\'s glibc has no arc4random (older than 2.36)');
      return;
    }
    const { status, output } = check(binary);
    assert.equal(status, 1, output);
    assert.match(output, /needs GLIBC_2\.36 \(newer than 2\.34\) for: arc4random/);
  });

  test('check_WrongArchitecture_Fails', () => {
    const plain = compile('arch', 'int main(void) { return 0; }\n');
    const { status, output } = check('--arch', process.arch === 'arm64' ? 'x86_64' : 'arm64', plain);
    assert.equal(status, 1, output);
    assert.match(output, /expected (AArch64|x86-64)/);
  });

  test('check_NotAnElfFile_IsAUsageError', () => {
    const { status } = check(checker);
    assert.equal(status, 2);
  });
});

const bootstrap = process.env.BOOTSTRAP_PATH;
const isElf = bootstrap && existsSync(bootstrap) && readFileSync(bootstrap).subarray(0, 4).toString('latin1') === '\x7fELF';
test('check_ShippedBootstrap_RunsOnAl2023', { skip: isElf ? false : 'BOOTSTRAP_PATH is not a native executable' }, () => {
  const { status, output } = check(bootstrap);
  assert.equal(status, 0, output);
});
