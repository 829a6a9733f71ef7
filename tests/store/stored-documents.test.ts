/**
 * The schemas the store checks documents against describe exactly the types the rest of lotqa works
 * with. The type assertions below fail `tsc --noEmit` (part of `npm test`) when a type and its schema
 * drift apart; the runtime checks cover what types cannot.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import type { Baseline } from '../../src/domain/baseline.js';
import type { SwitchingState } from '../../src/acceptance/z14-switching.js';
import { initialSwitchingState, nextState } from '../../src/acceptance/z14-switching.js';
import {
  AuditEntry,
  AuditPayloads,
  BaselineDocument,
  SamplingStateDocument,
  type SamplingState,
} from '../../src/domain/stored-documents.js';
import { checkBaseline, checkSamplingState } from '../../src/store/stored-documents.js';
import { StoredDocumentError } from '../../src/store/index.js';
import { baselineFixture } from './support/stored-document-fixtures.js';

/** The same shape with every property and array readonly (types differ only there from their schemas). */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

describe('stored document schemas', () => {
  it('describe the Baseline and SwitchingState types both ways (compile-time)', () => {
    expectTypeOf<Static<typeof BaselineDocument>>().toExtend<Baseline>();
    expectTypeOf<DeepReadonly<Baseline>>().toExtend<DeepReadonly<Static<typeof BaselineDocument>>>();
    expectTypeOf<Static<typeof SamplingStateDocument>>().toExtend<SamplingState>();
    expectTypeOf<SamplingState>().toExtend<SwitchingState>();
    expectTypeOf<SwitchingState>().toExtend<SamplingState>();
  });

  it('have one audit entry per audit payload kind', () => {
    const kinds = AuditEntry.anyOf.map((member) => member.properties.kind.const);
    expect(kinds.sort()).toEqual(Object.keys(AuditPayloads).sort());
  });

  it('accept what the switching rules produce, and a baseline as built', () => {
    let state: SwitchingState = initialSwitchingState();
    for (const verdict of ['reject', 'reject', 'accept'] as const) {
      state = nextState(state, { verdict }).state;
      expect(checkSamplingState(state, 'state')).toBe(state);
    }
    expect(state.severity).toBe('tightened');
    const baseline = baselineFixture('P');
    expect(checkBaseline(baseline, 'baseline')).toBe(baseline);
  });

  it('name the record and every failing field (at most five) when a document does not match', () => {
    const broken = { ...baselineFixture('P'), kind: 'baseline', cells: [{}] };
    const error = (() => {
      try {
        checkBaseline(broken, 'baseline P version 3');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoredDocumentError);
    const e = error as StoredDocumentError;
    expect(e.record).toBe('baseline P version 3');
    expect(e.message).toMatch(/^baseline P version 3 is not a valid Baseline: \/kind: /);
    expect(e.problems.length).toBe(5);
    expect(e.hint).toMatch(/same version/);
  });
});
