/**
 * `lotqa account add` and `lotqa decide --sign-as` as a person runs them: the password from the
 * environment, a wrong one refused with nothing recorded, the signature printed and stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addApprovers, openCliFixture, type CliFixture } from './support/cli-fixture.js';

let cli: CliFixture;
const lotqa = (args: string[], env: Record<string, string> = {}) => cli.lotqa(args, env);

beforeAll(async () => {
  cli = await openCliFixture('decide');
}, 120_000);
afterAll(() => cli.cleanup());

describe('lotqa decide --sign-as', () => {
  it('adds an approver, refuses a wrong or missing password, and records the signed decision', async () => {
    await addApprovers(cli, [['jchen', 'J. Chen']]);
    const args = ['decide', 'SHIFT', '--reject', '--reason', 'lane 3 drift, 8D-118', '--sign-as', 'jchen'];
    const wrong = await lotqa(args, { LOTQA_SIGN_PASSWORD: 'wrong' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('signature refused: wrong password for "jchen"');
    const none = await lotqa(args);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no password: set LOTQA_SIGN_PASSWORD');
    const ok = await lotqa(args, { LOTQA_SIGN_PASSWORD: 'jchen-password' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/lot SHIFT r1: REJECT by jchen at .*\nsigned: J\. Chen \(jchen, approver\) — rejection, 20\d\d-/);
    const audit = await lotqa(['audit', 'SHIFT', '--json']);
    const decided = (
      JSON.parse(audit.stdout) as { decisions: { disposition: string; signatures?: { signer: string; method: string }[] }[] }
    ).decisions.at(-1);
    expect(decided?.signatures).toEqual([expect.objectContaining({ signer: 'jchen', method: 'password-cli' })]);
  });
});
