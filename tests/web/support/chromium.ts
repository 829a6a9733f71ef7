/**
 * Finds Debian's Chromium for the browser tests, or installs it with apt-get (as root), and fails loudly
 * when neither works: a browser test that silently skips proves nothing. Set LOTQA_CHROMIUM to use
 * another build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

function found(): string | undefined {
  const env = process.env.LOTQA_CHROMIUM;
  if (env) {
    if (!existsSync(env)) throw new Error(`LOTQA_CHROMIUM=${env} does not exist`);
    return env;
  }
  return CANDIDATES.find((p) => existsSync(p));
}

export function chromiumPath(): string {
  const path = found();
  if (path) return path;
  const log: string[] = [];
  try {
    if (process.getuid?.() !== 0) throw new Error('not root: cannot apt-get install chromium');
    log.push(execFileSync('apt-get', ['update'], { encoding: 'utf8', stdio: 'pipe', timeout: 300_000 }).slice(-500));
    log.push(
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 600_000,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).slice(-500),
    );
  } catch (err) {
    throw new Error(
      `The browser tests need Chromium and none was found (${CANDIDATES.join(', ')}); installing it with apt-get failed: ${String(err)}\n${log.join('\n')}\n` +
        'Install it with `apt-get install chromium` or point LOTQA_CHROMIUM at a Chromium binary.',
    );
  }
  const after = found();
  if (!after) throw new Error('apt-get install chromium ran, but no Chromium binary is at the expected paths');
  return after;
}
