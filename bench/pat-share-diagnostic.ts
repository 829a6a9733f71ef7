/**
 * PAT share diagnostic (issue 14, the `everything` shape): per lot of a bench/shapes-history.ts history, the count of
 * PAT-outlier units, the baseline's reference unit share and the binomial tail the decision used before the
 * overdispersed tail (src/spc/pat-reference-share.ts); then per parameter the observed outliers of the lots after
 * the baseline against the count the per-chart reference shares predict. Prints tab-separated rows.
 *
 *   npx tsx bench/pat-share-diagnostic.ts [shape everything] [histories 4] [baseline lots 10] [healthy 25]
 */
import { findProduct } from '../src/domain/catalog.js';
import { findPolicy } from '../src/acceptance/policy-catalog.js';
import { buildBaseline } from '../src/evaluate/build-baseline.js';
import { evaluateLot } from '../src/evaluate/evaluate-lot.js';
import { patLimits } from '../src/spc/pat.js';
import { baselineLotsOutlierShare, expectedUnitOutlierShare, excessOutlierP } from '../src/spc/pat-reference-share.js';
import { shapedHistory, type Shape } from './shapes-history.js';

const shape = (process.argv[2] ?? 'everything') as Shape;
const H = Number(process.argv[3] ?? 4);
const B = Number(process.argv[4] ?? 10);
const healthy = Number(process.argv[5] ?? 25);
const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
const byParam: Record<string, { obs: number; exp: number; obsIn: number }> = {};
const rows: string[] = [];
for (let h = 0; h < H; h++) {
  const data = shapedHistory({ spec, shape, seed: `shapes/${B}/${h}`, lots: B + healthy, units: 200 });
  const payload = buildBaseline({ spec, lots: data.slice(0, B), createdBy: 'diag' });
  const baseline = { version: 1, createdAt: '2026-01-01T00:00:00Z', payload };
  const cellsBy = new Map(payload.cells.map((c) => [`${c.parameter}|${c.corner}|${c.lane}`, c]));
  data.forEach((lot, li) => {
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    const shares: number[] = [];
    for (const c of r.cells) {
      const b = cellsBy.get(`${c.key.parameter}|${c.key.corner}|${c.key.lane}`);
      if (!b || c.pat === null || b.sample.length < 8 || c.scale !== 'linear') continue;
      const lsl = c.lsl.informative ? null : c.lsl.value;
      const usl = c.usl.value;
      const st = patLimits(
        [...b.sample].sort((x, y) => x - y),
        policy.consistency.pat.k,
        { sorted: true },
      );
      const s = baselineLotsOutlierShare(b.sample, b.lotSizes, st, policy.consistency.pat.k, lsl, usl);
      shares.push(s);
      const k = c.key.parameter;
      byParam[k] ??= { obs: 0, exp: 0, obsIn: 0 };
      if (li >= B) {
        byParam[k].obs += c.pat.outliers.length;
        byParam[k].exp += s * r.units.length;
      } else byParam[k].obsIn += c.pat.outliers.length;
    }
    const ref = expectedUnitOutlierShare(shares);
    const count = r.units.filter((u) => u.patOutlier).length;
    const p = excessOutlierP(count, r.units.length, ref);
    rows.push(
      `${h}\t${li < B ? 'base' : 'new'}\t${count}\t${r.units.length}\t${(ref * 100).toFixed(2)}\t${p.toExponential(2)}\t${r.proposal.disposition}\t${r.proposal.reasons
        .filter((x) => x.severity !== 'INFO')
        .map((x) => x.code + (x.parameter ? ':' + x.parameter : ''))
        .join(',')}`,
    );
  });
  process.stderr.write(`history ${h} done\n`);
}
console.log('h\tkind\tcount\tunits\tref%\tp\tdisp\treasons');
console.log(rows.join('\n'));
console.log('param\tobsNew\texpNew\tobsBaseLots(in-sample)');
for (const [k, v] of Object.entries(byParam)) console.log(`${k}\t${v.obs}\t${v.exp.toFixed(1)}\t${v.obsIn}`);
