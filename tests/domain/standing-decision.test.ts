import { describe, expect, it } from 'vitest';
import { standingDecision, type DecisionRecord } from '../../src/domain/decision.js';

const d = (revision: number, disposition: DecisionRecord['disposition'], id: number) => ({ id, revision, disposition });

describe('the standing decision of a lot revision', () => {
  it('is the final ACCEPT or REJECT once an engineer decided a HOLD', () => {
    const decisions = [d(1, 'HOLD', 1), d(1, 'REJECT', 2), d(2, 'HOLD', 3)];
    expect(standingDecision(decisions, 1)?.id).toBe(2);
  });

  it('is the HOLD while the revision waits for an engineer, and nothing before any decision', () => {
    const decisions = [d(1, 'HOLD', 1), d(1, 'ACCEPT', 2), d(2, 'HOLD', 3)];
    expect(standingDecision(decisions, 2)?.id).toBe(3);
    expect(standingDecision(decisions, 3)).toBeNull();
  });

  it('does not depend on the order the decisions are listed in', () => {
    expect(standingDecision([d(4, 'ACCEPT', 9), d(4, 'HOLD', 8)], 4)?.id).toBe(9);
  });
});
