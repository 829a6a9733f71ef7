/**
 * ANSI/ASQ Z1.4-2003 §8.3.4: after acceptance is discontinued (5 lots not accepted on tightened inspection),
 * inspection resumes only after the supplier's corrective action, and then on tightened inspection. Here a
 * product is driven to "discontinued" by the switching rules themselves, an approver's signed resumption
 * (password re-entered, approver role, written reason) puts it back on tightened inspection with a clean
 * tightened history, and the audit trail carries the signature. Refused: a product not discontinued, a
 * blank reason, a wrong password, an engineer (signing needs the approver role). `lotqa sampling show|resume` say the same to a person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialSwitchingState, nextState, type SwitchingState } from '../../src/acceptance/z14-switching.js';
import { createAccount } from '../../src/pipeline/accounts.js';
import { resumeSampling } from '../../src/pipeline/sampling-resumption.js';
import { searchAudit } from '../../src/queries/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { lotqaInProcess } from '../support/lotqa-in-process.js';

const PRODUCT = 'qsfp112-400g-dr4';
const clock = { now: () => '2026-03-02T09:30:00.000Z' };
let dir: string;
let store: Store;

/** Tightened inspection, then `rejects` lots not accepted: the 5th discontinues acceptance. */
function afterRejectsOnTightened(rejects: number): SwitchingState {
  let s = initialSwitchingState('tightened');
  for (let i = 0; i < rejects; i++) s = nextState(s, { verdict: 'reject' }).state;
  return s;
}

const signer = (name: string, password: string) => ({ signer: name, password, method: 'password-cli' as const, clock });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotqa-sampling-resume-'));
  store = openStore({ sqlitePath: join(dir, 'store.sqlite') });
  await store.migrate();
  await createAccount(store, { username: 'jchen', fullName: 'J. Chen', role: 'approver', password: 'jchen-password', by: 'test' });
  await createAccount(store, { username: 'eng1', fullName: 'E. Ngineer', role: 'engineer', password: 'eng1-password', by: 'test' });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resuming a discontinued product after corrective action', () => {
  it('is refused while the product is not discontinued (4 lots not accepted on tightened is still tightened)', async () => {
    const four = afterRejectsOnTightened(4);
    expect(four.severity).toBe('tightened');
    await store.saveSamplingState(PRODUCT, four, clock.now());
    await expect(resumeSampling(store, { productId: PRODUCT, reason: '8D-1', ...signer('jchen', 'jchen-password') })).rejects.toThrow(
      `acceptance of ${PRODUCT} is not discontinued: its lots are on tightened inspection`,
    );
  });

  it('needs a written reason, the right password and the approver role; a refusal changes nothing', async () => {
    const five = afterRejectsOnTightened(5);
    expect(five.severity).toBe('discontinued');
    await store.saveSamplingState(PRODUCT, five, clock.now());
    await expect(resumeSampling(store, { productId: PRODUCT, reason: '  ', ...signer('jchen', 'jchen-password') })).rejects.toThrow(
      'needs a written reason',
    );
    await expect(resumeSampling(store, { productId: PRODUCT, reason: '8D-1', ...signer('jchen', 'wrong') })).rejects.toThrow(
      'signature refused: wrong password for "jchen"',
    );
    await expect(resumeSampling(store, { productId: PRODUCT, reason: '8D-1', ...signer('eng1', 'eng1-password') })).rejects.toThrow(
      '"eng1" is a engineer',
    );
    expect((await store.samplingState(PRODUCT))?.payload.severity).toBe('discontinued');
  });

  it('puts the product on tightened inspection with a clean tightened history, signed and audited', async () => {
    const r = await resumeSampling(store, {
      productId: PRODUCT,
      reason: '8D-2291: laser bias trim corrected',
      ...signer('jchen', 'jchen-password'),
    });
    expect(r.state).toEqual(initialSwitchingState('tightened'));
    expect((await store.samplingState(PRODUCT))?.payload).toEqual(initialSwitchingState('tightened'));
    expect(r.signature).toMatchObject({ signer: 'jchen', fullName: 'J. Chen', role: 'approver', meaning: 'sampling-resumption' });
    const events = (await searchAudit(store, { q: 'sampling-switch' })).filter((e) => e.kind === 'sampling-switch');
    expect(events.at(-1)).toMatchObject({
      actor: 'jchen',
      payload: {
        from: 'discontinued',
        to: 'tightened',
        productId: PRODUCT,
        reason: 'corrective action accepted: resume on tightened inspection: 8D-2291: laser bias trim corrected',
        signature: { signer: 'jchen', meaning: 'sampling-resumption' },
      },
    });
    // The resumed product is judged by the tightened rules again: 5 more not accepted discontinue it anew.
    let s = r.state;
    for (let i = 0; i < 4; i++) s = nextState(s, { verdict: 'reject' }).state;
    expect(s.severity).toBe('tightened');
    expect(nextState(s, { verdict: 'reject' }).state.severity).toBe('discontinued');
  });

  it('lotqa sampling show and resume tell a person the state and what to do', async () => {
    await store.saveSamplingState(PRODUCT, afterRejectsOnTightened(5), clock.now());
    const env = { LOTQA_SQLITE_PATH: join(dir, 'store.sqlite'), DATABASE_URL: '', LOTQA_CONFIG: '' };
    const show = await lotqaInProcess(['sampling', 'show', '--product', PRODUCT], { cwd: dir, env });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`${PRODUCT}: acceptance DISCONTINUED`);
    expect(show.stdout).toContain(`lotqa sampling resume --product ${PRODUCT} --reason "<corrective action>" --sign-as ACCOUNT`);
    const resume = ['sampling', 'resume', '--product', PRODUCT, '--reason', '8D-2300 closed', '--sign-as', 'jchen'];
    const refused = await lotqaInProcess(resume, { cwd: dir, env: { ...env, LOTQA_SIGN_PASSWORD: 'nope' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('signature refused: wrong password for "jchen"');
    const done = await lotqaInProcess(resume, { cwd: dir, env: { ...env, LOTQA_SIGN_PASSWORD: 'jchen-password' } });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`${PRODUCT}: acceptance resumed on tightened inspection`);
    expect(done.stdout).toMatch(/signed: J\. Chen \(jchen, approver\) — sampling resumption, 20\d\d-/);
    const after = await lotqaInProcess(['sampling', 'show', '--product', PRODUCT], { cwd: dir, env });
    expect(after.stdout).toContain(`${PRODUCT}: tightened inspection`);
    expect(after.stdout).toContain('not accepted since tightened inspection began: 0 (5 discontinue acceptance)');
  });
});
