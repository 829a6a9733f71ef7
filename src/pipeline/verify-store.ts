/**
 * @module `lotqa audit --verify`: is the store's record of what happened intact? Walks the hash chains
 * of evaluations, decisions, certificates and audit events (a broken link or a row whose content no
 * longer hashes to what it carried: an edit, a removal or an insertion by direct SQL), and re-hashes every
 * stored LotResult against the SHA-256 its evaluation row carries (the chain covers that hash, the
 * re-hash covers the document).
 */
import { resultSha256 } from '../report/result-hash.js';
import type { ChainReport } from '../store/records/hash-chain.js';
import type { Store } from '../store/store.js';

export interface StoredResultProblem {
  readonly lot: string;
  readonly revision: number;
  readonly problem: string;
}

export interface StoreVerification {
  readonly chains: readonly ChainReport[];
  readonly results: readonly StoredResultProblem[];
  /** Evaluations whose stored result was re-hashed. */
  readonly resultsChecked: number;
  readonly intact: boolean;
}

export async function verifyStoreRecords(store: Store): Promise<StoreVerification> {
  const chains = await store.verifyHashChains();
  const results: StoredResultProblem[] = [];
  let resultsChecked = 0;
  for (const lot of await store.listLotIds()) {
    const latest = await store.latestEvaluationHead(lot);
    // One result at a time: a large lot's result is megabytes.
    for (let revision = 1; latest !== null && revision <= latest.revision; revision++) {
      const evaluation = await store.getEvaluation(lot, revision);
      if (!evaluation) continue;
      resultsChecked++;
      const hash = resultSha256(evaluation.result);
      if (hash !== evaluation.resultSha256)
        results.push({ lot, revision, problem: `the stored result re-hashes to ${hash}, not ${evaluation.resultSha256}` });
    }
  }
  return { chains, results, resultsChecked, intact: results.length === 0 && chains.every((c) => c.problems.length === 0) };
}
