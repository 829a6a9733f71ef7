/**
 * The layers of lotqa point down only (see ARCHITECTURE.md):
 *
 *   errors, version, counted   the error base; the version string; counts in words
 *   spc                        pure statistics (numbers in, numbers out)
 *   domain                     the contracts: specs, profiles, policy, LotData, LotResult, documents
 *   config                     the configuration loader (its schema is domain's)
 *   acceptance                 pure: sampling plans, switching, the lot decision
 *   evaluate                   pure: LotData + spec + policy + baseline → LotResult
 *   ingest, sim, report, store independent of each other; the only SQL is in store (and queries)
 *   queries                    the read model over the store
 *   pipeline                   the stage functions
 *   queue                      BullMQ wiring
 *   cli, web                   the shells
 *
 * Checked by tests/architecture/layers.test.ts (and `npx depcruise src --config .dependency-cruiser.cjs`).
 */
const below = (...allowed) => `^src/(?!${allowed.map((a) => a.replace('.', '\\.')).join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'spc-is-pure-statistics',
      comment: 'spc computes statistics from numbers: it knows nothing of lotqa above it',
      severity: 'error',
      from: { path: '^src/spc/' },
      to: { path: below('spc/', 'errors/', 'counted.ts') },
    },
    {
      name: 'domain-points-down',
      comment: 'domain holds the contracts: it imports no stage (not ingest, not config, nothing above it)',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: below('domain/', 'spc/', 'errors/', 'version.ts', 'counted.ts') },
    },
    {
      name: 'config-above-domain-only',
      comment: 'the configuration loader reads files and the environment into the domain contract',
      severity: 'error',
      from: { path: '^src/config\\.ts$' },
      to: { path: below('config.ts', 'domain/', 'errors/', 'counted.ts') },
    },
    {
      name: 'acceptance-below-evaluate',
      comment: 'evaluate uses the acceptance rules; acceptance never reaches back into evaluate',
      severity: 'error',
      from: { path: '^src/acceptance/' },
      to: { path: below('acceptance/', 'domain/', 'spc/', 'errors/', 'counted.ts') },
    },
    {
      name: 'evaluate-is-pure',
      comment: 'evaluate composes spc, acceptance and domain; no I/O layer',
      severity: 'error',
      from: { path: '^src/evaluate/' },
      to: { path: below('evaluate/', 'acceptance/', 'domain/', 'spc/', 'errors/', 'version.ts', 'counted.ts') },
    },
    {
      name: 'sim-is-not-ingest',
      comment: 'the synthetic factory writes what a station writes; it must not borrow the reader it tests',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: { path: below('sim/', 'domain/', 'spc/', 'errors/', 'version.ts', 'counted.ts') },
    },
    {
      name: 'ingest-below-store',
      severity: 'error',
      from: { path: '^src/ingest/' },
      to: { path: below('ingest/', 'domain/', 'spc/', 'errors/', 'counted.ts') },
    },
    {
      name: 'report-below-pipeline',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: below('report/', 'domain/', 'spc/', 'errors/', 'version.ts', 'counted.ts') },
    },
    {
      name: 'store-speaks-domain-only',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: below('store/', 'domain/', 'errors/', 'counted.ts') },
    },
    {
      name: 'queries-read-the-store',
      severity: 'error',
      from: { path: '^src/queries/' },
      to: { path: below('queries/', 'store/', 'domain/', 'errors/', 'counted.ts') },
    },
    {
      name: 'pipeline-below-shells',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/(queue|cli|web)/' },
    },
    {
      name: 'queue-below-shells',
      severity: 'error',
      from: { path: '^src/queue/' },
      to: { path: '^src/(cli|web)/' },
    },
    {
      name: 'nothing-imports-the-shells',
      severity: 'error',
      from: { path: '^src/(?!cli/|web/)' },
      to: { path: '^src/(cli|web)/' },
    },
    {
      name: 'sql-only-in-the-store',
      comment: 'only src/store (writes, records) and src/queries (the read model) talk to the database',
      severity: 'error',
      from: { path: '^src/(?!store/|queries/)' },
      to: { path: 'node_modules/(kysely|pg|better-sqlite3)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
