/**
 * `lotqa baseline create` under a policy that has baselines approved before use, then
 * `lotqa baseline approve <id> --sign-as` as a person runs it: the new baseline is proposed and not used
 * (the evaluation keeps the active one), a wrong password and a repeated signer are refused, and the
 * second approver's signature (two-person rule) makes it active, both signatures recorded and audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_PRODUCT } from '../web/support/console-fixture.js';
import { addApprovers, openCliFixture, type CliFixture } from '../web/support/cli-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
let cli: CliFixture;
const lotqa = (args: string[], env: Record<string, string> = {}) => cli.lotqa(args, env);

beforeAll(async () => {
  cli = await openCliFixture('baseline-approve');
  const policy = JSON.parse(readFileSync(join(ROOT, 'schemas/policies/default.json'), 'utf8')) as {
    id: string;
    signOff: Record<string, unknown>;
  };
  policy.id = 'approve-baselines';
  policy.signOff = { ...policy.signOff, baselineApproval: 'required', twoPersonRule: true };
  writeFileSync(join(cli.dir, 'approve-baselines.json'), JSON.stringify(policy));
}, 120_000);
afterAll(() => cli.cleanup());

describe('lotqa baseline approve --sign-as', () => {
  it('proposes a baseline, keeps it out of use, and activates it on the second approver’s signature', async () => {
    await addApprovers(cli, [
      ['jchen', 'J. Chen'],
      ['kim', 'K. Im'],
    ]);
    const policy = ['--policy', join(cli.dir, 'approve-baselines.json')];
    const create = await lotqa(['baseline', 'create', '--product', FIXTURE_PRODUCT, '--lots', 'B1,B2,B3', '--by', 'qe', ...policy]);
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toContain(`baseline v2 of ${FIXTURE_PRODUCT} is proposed`);
    expect(create.stdout).toContain('evaluations keep using v1 (active) until an approver signs');
    expect(create.stdout).toContain(`lotqa baseline approve ${FIXTURE_PRODUCT}@v2 --reason TEXT --sign-as ACCOUNT`);
    // Fail closed: the evaluation still names v1.
    const evaluated = await lotqa(['evaluate', 'SHIFT', '--json', '--no-reports', ...policy]);
    expect((JSON.parse(evaluated.stdout) as { baseline: { version: number } | null }).baseline?.version).toBe(1);
    expect(evaluated.stderr).toContain(
      `note: baseline v2 of ${FIXTURE_PRODUCT} awaits approval and is not used: this evaluation used v1 (active)`,
    );

    const approve = ['baseline', 'approve', `${FIXTURE_PRODUCT}@v2`, '--reason', 'phase I reviewed: 3 lots, no exclusions', ...policy];
    const wrong = await lotqa([...approve, '--sign-as', 'jchen'], { LOTQA_SIGN_PASSWORD: 'nope' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('signature refused: wrong password for "jchen"');
    const first = await lotqa([...approve, '--sign-as', 'jchen'], { LOTQA_SIGN_PASSWORD: 'jchen-password' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("approved once: the policy's two-person rule needs a second, different approver");
    expect(first.stdout).toMatch(/signed: J\. Chen \(jchen, approver\) — baseline approval, 20\d\d-/);
    const again = await lotqa([...approve, '--sign-as', 'jchen'], { LOTQA_SIGN_PASSWORD: 'jchen-password' });
    expect(again.code).not.toBe(0);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`the two-person rule needs a second approver: jchen already signed baseline ${FIXTURE_PRODUCT}@v2 at `);
    const second = await lotqa([...approve, '--sign-as', 'kim'], { LOTQA_SIGN_PASSWORD: 'kim-password' });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('approved: it is the active baseline');
    expect(second.stdout).toMatch(/signed: K\. Im \(kim, approver\) — second approval/);

    const show = await lotqa(['baseline', 'show', '--product', FIXTURE_PRODUCT]);
    expect(show.stdout).toContain(`baseline v2 of ${FIXTURE_PRODUCT} (active)`);
    expect(show.stdout).toContain('versions: v1 v2*');
    const settled = await lotqa([...approve, '--sign-as', 'kim'], { LOTQA_SIGN_PASSWORD: 'kim-password' });
    expect(settled.stderr).toContain('is not awaiting approval: it is active');
    const bad = await lotqa(['baseline', 'approve', 'v2', '--reason', 'x', '--sign-as', 'kim'], { LOTQA_SIGN_PASSWORD: 'kim-password' });
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('"v2" is not a baseline id')]);
  });

  it('refuses the creator of a baseline approving it (separation of duties), and lets another approver sign', async () => {
    const policy = ['--policy', join(cli.dir, 'approve-baselines.json')];
    const create = await lotqa(['baseline', 'create', '--product', FIXTURE_PRODUCT, '--lots', 'B2,B3,B4', '--by', 'kim', ...policy]);
    expect(create.code, create.stderr).toBe(0);
    const id = /baseline approve (\S+@v\d+)/.exec(create.stdout)![1]!;
    const approve = ['baseline', 'approve', id, '--reason', 'reviewed', ...policy];
    const own = await lotqa([...approve, '--sign-as', 'kim'], { LOTQA_SIGN_PASSWORD: 'kim-password' });
    expect(own.code).toBe(1);
    expect(own.stderr).toContain(`separation of duties: kim created baseline ${id} and cannot approve it`);
    expect(own.stderr).toContain('another approver must review it and sign');
    const other = await lotqa([...approve, '--sign-as', 'jchen'], { LOTQA_SIGN_PASSWORD: 'jchen-password' });
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toContain("approved once: the policy's two-person rule needs a second, different approver");
  });
});
