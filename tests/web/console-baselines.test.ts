/**
 * Baselines reviewed and approved like decisions, through the console's API in process: the list with
 * state, components and signatures; approval by approvers only, with the password re-entered; the
 * two-person rule (first signature keeps it proposed, the same approver again refused, a second approver
 * activates it); rejection; bad input 400, unknown 404, already settled 422; CSRF and Origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { createBaseline } from '../../src/pipeline/lot-stages.js';
import { findProduct } from '../../src/domain/catalog.js';
import type { Store } from '../../src/store/index.js';
import { BASELINE as BASELINE_LOTS, FIXTURE_PRODUCT } from './support/console-fixture.js';
import { consoleClient, type Problem, type Session } from './support/console-session.js';
import { openConsoleTestbed, type ConsoleTestbed } from './support/console-testbed.js';

let bed: ConsoleTestbed<'vic' | 'eve' | 'rita' | 'sam'>;
let store: Store;
const { get, post } = consoleClient(() => bed.app);
let viewer: Session;
let engineer: Session;
let rita: Session;
let sam: Session;

interface BaselineJson {
  id: string;
  version: number;
  state: string;
  lots: string[];
  charts: number;
  components: { withinDf: number; lotDf: number }[] | null;
  signatures: { verdict: string; reason: string; signature: { signer: string; meaning: string; method: string } }[];
}
const V2 = `${FIXTURE_PRODUCT}@v2`;
const V3 = `${FIXTURE_PRODUCT}@v3`;
const approval = (id: string) => `/api/baselines/${encodeURIComponent(id)}/approval`;

beforeAll(async () => {
  const spec = findProduct(FIXTURE_PRODUCT);
  const policy = findPolicy('default');
  bed = await openConsoleTestbed({
    name: 'baselines',
    people: { vic: 'viewer', eve: 'engineer', rita: 'approver', sam: 'approver' },
    console: { baselinePolicy: { signOff: { ...policy.signOff, baselineApproval: 'required', twoPersonRule: true } } },
    prepare: async (s) => {
      for (const lots of [
        ['B1', 'B2', 'B3', 'B4'],
        ['B2', 'B3', 'B4', 'B5'],
      ])
        await createBaseline(s, { productId: spec.productId, lots, createdBy: 'qe', spec, propose: true });
    },
  });
  store = bed.store;
  ({ vic: viewer, eve: engineer, rita, sam } = bed.as);
}, 120_000);
afterAll(() => bed.close());

describe('GET /api/baselines', () => {
  it('lists every baseline newest first with its state, lots, charts and variance components with df', async () => {
    expect((await get('/api/baselines')).statusCode).toBe(401);
    const list = (await get('/api/baselines', viewer)).json<BaselineJson[]>();
    expect(list.map((b) => [b.id, b.state, b.lots.length])).toEqual([
      [V3, 'proposed', 4],
      [V2, 'proposed', 4],
      [`${FIXTURE_PRODUCT}@v1`, 'active', 5],
    ]);
    expect(list[0]!.charts).toBeGreaterThan(0);
    // Four lots: lot-to-lot σ has 4 − 1 = 3 degrees of freedom.
    expect(list[0]!.components!.every((c) => c.lotDf === 3 && c.withinDf > 0)).toBe(true);
  });

  it('the Baselines page shows the signing form to approvers only', async () => {
    const forApprover = await get('/baselines', rita);
    expect(forApprover.statusCode).toBe(200);
    expect(forApprover.body).toContain(`data-baseline="${V2}"`);
    expect(forApprover.body).toContain('Variance components');
    const forViewer = (await get('/baselines', viewer)).body;
    expect(forViewer).not.toContain('class="baseline-sign"');
    expect(forViewer).toContain('Approving a baseline needs the approver role; you are viewer.');
  });
});

describe('POST /api/baselines/{id}/approval', () => {
  const body = { verdict: 'approve', reason: 'phase I reviewed: 4 lots, no warnings', password: 'rita-password' };

  it('refuses without a session (401), a viewer or engineer (403), and a cookie POST without CSRF (403)', async () => {
    expect((await post(approval(V2), body)).statusCode).toBe(401);
    for (const s of [viewer, engineer]) expect((await post(approval(V2), body, s)).statusCode).toBe(403);
    const noCsrf = await post(approval(V2), body, null, { cookie: rita.cookie });
    expect([noCsrf.statusCode, noCsrf.json<Problem>().message]).toEqual([403, 'refused: missing or wrong CSRF token']);
  });

  it('refuses a wrong password (403), bad input (400) and an unknown baseline (404)', async () => {
    const wrong = await post(approval(V2), { ...body, password: 'guess' }, rita);
    expect([wrong.statusCode, wrong.json<Problem>().message]).toEqual([403, expect.stringMatching(/wrong password for "rita"/)]);
    expect((await post(approval(V2), { ...body, verdict: 'maybe' }, rita)).statusCode).toBe(400);
    expect((await post(approval(V2), { reason: 'x', password: 'p' }, rita)).statusCode).toBe(400);
    const badId = await post(approval('no-version'), body, rita);
    expect([badId.statusCode, badId.json<Problem>().message]).toEqual([400, expect.stringMatching(/not a baseline id/)]);
    const unknown = await post(approval(`${FIXTURE_PRODUCT}@v9`), body, rita);
    expect([unknown.statusCode, unknown.json<Problem>().message]).toEqual([404, `no baseline ${FIXTURE_PRODUCT}@v9`]);
    expect((await store.activeBaseline(FIXTURE_PRODUCT))?.version).toBe(1);
  });

  it('under the two-person rule: the first approval keeps it proposed, the same approver is refused, a second activates it', async () => {
    const first = await post(approval(V2), body, rita);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ status: string; state: string }>()).toMatchObject({ status: 'awaiting-second-signature', state: 'proposed' });
    expect((await store.activeBaseline(FIXTURE_PRODUCT))?.version).toBe(1);
    const again = await post(approval(V2), body, rita);
    expect([again.statusCode, again.json<Problem>().message]).toEqual([
      403,
      expect.stringMatching(/the two-person rule needs a second approver: rita already signed baseline .*@v2 at /),
    ]);
    const second = await post(approval(V2), { ...body, password: 'sam-password' }, sam);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json<{ status: string; state: string }>()).toMatchObject({ status: 'approved', state: 'active' });
    expect((await store.activeBaseline(FIXTURE_PRODUCT))?.version).toBe(2);
    const v2 = (await get('/api/baselines', viewer)).json<BaselineJson[]>().find((b) => b.id === V2)!;
    expect(v2.signatures.map((s) => [s.verdict, s.signature.signer, s.signature.meaning, s.signature.method])).toEqual([
      ['approve', 'rita', 'baseline-approval', 'password-reentered-console'],
      ['approve', 'sam', 'second-approval', 'password-reentered-console'],
    ]);
    const settled = await post(approval(V2), { ...body, password: 'sam-password' }, sam);
    expect([settled.statusCode, settled.json<Problem>().message]).toEqual([422, `baseline ${V2} is not awaiting approval: it is active`]);
    const events = (await get('/api/audit?q=baseline-signed', viewer)).json<{ kind: string; actor: string }[]>();
    expect(events.filter((e) => e.kind === 'baseline-signed').map((e) => e.actor)).toEqual(['sam', 'rita']);
  });

  it('one approver rejects: the baseline is never used', async () => {
    const res = await post(approval(V3), { ...body, verdict: 'reject', reason: 'B4 spread differs' }, rita);
    expect(res.json<{ status: string; state: string }>()).toMatchObject({ status: 'rejected', state: 'rejected' });
    expect((await store.activeBaseline(FIXTURE_PRODUCT))?.version).toBe(2);
    expect((await get('/baselines', viewer)).body).toMatch(
      /Rejected: rita Example \(rita, approver\) — baseline rejection, .* — B4 spread differs/,
    );
  });
});

describe('separation of duties', () => {
  it('refuses the creator of a baseline approving it (403 naming the rule); another approver may; the creator may reject', async () => {
    const spec = findProduct(FIXTURE_PRODUCT);
    const mine = await createBaseline(store, { productId: spec.productId, lots: BASELINE_LOTS, createdBy: 'rita', spec, propose: true });
    const id = `${FIXTURE_PRODUCT}@v${mine.version}`;
    const body = { verdict: 'approve', reason: 'reviewed', password: 'rita-password' };
    // The page offers rita only the rejection; the API refuses her approval all the same.
    const form = (await get('/baselines', rita)).body.split(`data-baseline="${id}"`)[1]!.split('</form>')[0]!;
    expect(form).toContain('You created this baseline: another approver must approve it (separation of duties)');
    expect(form).not.toContain('value="approve"');
    expect(form).toContain('value="reject"');
    const own = await post(approval(id), body, rita);
    expect([own.statusCode, own.json<Problem>().message]).toEqual([
      403,
      `separation of duties: rita created baseline ${id} and cannot approve it`,
    ]);
    expect((await post(approval(id), { ...body, password: 'sam-password' }, sam)).json<{ status: string }>().status).toBe(
      'awaiting-second-signature',
    );
    const withdrawn = await post(approval(id), { ...body, verdict: 'reject', reason: 'withdrawn: wrong lots' }, rita);
    expect(withdrawn.json<{ state: string }>().state).toBe('rejected');
  });
});
