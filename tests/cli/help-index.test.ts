/**
 * The compiled build's `lotqa --help` lists the commands from an index (src/cli/commands/help-index.ts)
 * instead of loading every command module. The index must print exactly what the real commands print.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { commandHelpIndex, registerHelpPlaceholders } from '../../src/cli/commands/help-index.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('help index', () => {
  it('placeholders from the index give the same top-level help as the registered commands', async () => {
    const full = await buildProgram();
    const index = commandHelpIndex(full);
    expect(index.map((l) => l.name)).toContain('run');
    const quick = new Command()
      .name(full.name())
      .description(full.description())
      .version(full.version() ?? '')
      .option('--config <file>', 'configuration file (default ./lotqa.config.json, or LOTQA_CONFIG)');
    registerHelpPlaceholders(quick, index);
    expect(quick.helpInformation()).toBe(full.helpInformation());
  });

  it('the compiled binary and the sources print the same --help', () => {
    // The vitest global setup built dist/, so bin/lotqa.mjs runs the build (with its index).
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [join(ROOT, 'bin/lotqa.mjs'), '--help'], { encoding: 'utf8', env: { ...process.env, ...env } });
    const compiled = run({});
    const sources = run({ LOTQA_FROM_SOURCE: '1' });
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toContain('Commands:');
    expect(compiled.stdout).toBe(sources.stdout);
  });
});
