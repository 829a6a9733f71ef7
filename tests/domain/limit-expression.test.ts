import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ExpressionError,
  compileExpression,
  evaluate,
  isEvaluationGap,
  parseExpression,
  referencedIds,
  type EvaluationGap,
} from '../../src/domain/limit-expression.js';

const values = (v: Record<string, number>) => (id: string) => (Object.hasOwn(v, id) ? v[id] : undefined);
const valueOf = (text: string, v: Record<string, number> = {}): number => {
  const r = compileExpression(text).evaluate(values(v));
  if (isEvaluationGap(r)) throw new Error(`expected a number, got ${r.message}`);
  return r;
};
const errorOf = (text: string): ExpressionError => {
  try {
    parseExpression(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error(`'${text}' parsed, but should not`);
};

describe('conditional limits from shared/domain/transceiver-test.md', () => {
  it('DR4 effective OMA min = max(−0.8, TDECQ − 2.2): −0.8 at TDECQ 1.0, 0.3 at TDECQ 2.5', () => {
    // §2.1, Edgecore ET7502-DR4 datasheet [S1]: OMAouter min −0.8 dBm, OMAouter − TDECQ min −2.2 dBm → [D] row.
    const oma = 'max(-0.8, tx_tdecq - 2.2)';
    expect(valueOf(oma, { tx_tdecq: 1.0 })).toBeCloseTo(-0.8, 12);
    expect(valueOf(oma, { tx_tdecq: 2.5 })).toBeCloseTo(0.3, 12);
    // At TDECQ 1.4 dB both rows meet: 1.4 − 2.2 = −0.8 ("min applies even if TDECQ < 1.4 dB").
    expect(valueOf(oma, { tx_tdecq: 1.4 })).toBeCloseTo(-0.8, 12);
  });

  it('DR8 OMA − TDECQ min is −2.2 dBm when ER ≥ 5 dB and −1.9 dBm when ER < 5 dB', () => {
    // §2.2, Trixon 800G OSFP DR8 TX table [S4]: "−2.2 if ER ≥ 5 dB; −1.9 if ER < 5 dB".
    const row = 'if(tx_er >= 5, -2.2, -1.9)';
    expect(valueOf(row, { tx_er: 5.5 })).toBe(-2.2);
    expect(valueOf(row, { tx_er: 5 })).toBe(-2.2);
    expect(valueOf(row, { tx_er: 4.99 })).toBe(-1.9);
    expect(valueOf(row, { tx_er: 3.5 })).toBe(-1.9);
  });

  it('FR4 receiver sensitivity max(−4.6, SECQ − 6.0): −4.6 at SECQ 0.9, −2.6 at SECQ 3.4', () => {
    // §2.3, Edgecore ET7502-FR4 RX table [S3]; at SECQ 3.4 dB it equals the stressed sensitivity −2.6 dBm.
    const sens = 'max(-4.6, rx_secq - 6.0)';
    expect(valueOf(sens, { rx_secq: 0.9 })).toBeCloseTo(-4.6, 12);
    expect(valueOf(sens, { rx_secq: 3.4 })).toBeCloseTo(-2.6, 12);
  });

  it('FR4 effective OMA min meets the −0.3 dBm floor exactly at TDECQ 1.4 (ER ≥ 4.5) and 1.3 (ER < 4.5)', () => {
    // §2.3 [S2]: OMAouter min −0.3 dBm, "floor applies if TDECQ < 1.4 (ER ≥ 4.5) / < 1.3 (ER < 4.5)";
    // OMA − TDECQ min −1.7 (ER ≥ 4.5) / −1.6 (ER < 4.5).
    const oma = 'max(-0.3, tx_tdecq + if(tx_er >= 4.5, -1.7, -1.6))';
    expect(valueOf(oma, { tx_tdecq: 1.4, tx_er: 5 })).toBeCloseTo(-0.3, 12);
    expect(valueOf(oma, { tx_tdecq: 1.3, tx_er: 4 })).toBeCloseTo(-0.3, 12);
    expect(valueOf(oma, { tx_tdecq: 2.4, tx_er: 5 })).toBeCloseTo(0.7, 12);
    expect(valueOf(oma, { tx_tdecq: 2.4, tx_er: 4 })).toBeCloseTo(0.8, 12);
  });

  it('converts between dBm and mW (0 dBm = 1 mW, 10 dBm = 10 mW, 3 dBm ≈ 1.995 mW)', () => {
    expect(valueOf('dbm_to_mw(0)')).toBe(1);
    expect(valueOf('dbm_to_mw(10)')).toBeCloseTo(10, 12);
    expect(valueOf('dbm_to_mw(3)')).toBeCloseTo(1.99526, 5);
    expect(valueOf('mw_to_dbm(dbm_to_mw(-4.4))')).toBeCloseTo(-4.4, 12);
    expect(valueOf('log10(1000) + pow10(2) + abs(-3)')).toBe(106);
  });
});

describe('precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['24 / 4 / 3', 2],
    ['-2 * 3 + 4 / 2', -4],
    ['- -2', 2],
    ['2 * -3', -6],
    ['1.5e1 + 2.4e-4 * 1e4', 17.4],
    ['.5 + 5.', 5.5],
    ['min(3, 1, 2) + max(-1, -7)', 0],
    ['if(1 < 2 and 3 < 4 or 1 > 2, 1, 0)', 1],
    ['if(1 > 2 or 3 < 4 and 5 < 6, 1, 0)', 1], // and binds tighter than or
    ['if(not 1 > 2, 1, 0)', 1], // not binds looser than the comparison
    ['if(not (1 < 2) or 2 == 2, 1, 0)', 1],
    ['if(1 != 1 or 2 <= 2 and 3 >= 4, 1, 0)', 0],
    ['3 − 1', 2], // typographic minus from datasheets
    ['if(2 ≥ 1 and 1 ≤ 2 and 1 ≠ 2, 1, 0)', 1],
  ])('%s = %d', (text, expected) => {
    expect(valueOf(text)).toBeCloseTo(expected, 12);
  });

  it('lists the parameter ids an expression reads', () => {
    expect(referencedIds(parseExpression('max(-0.3, tx_tdecq + if(tx_er >= 4.5, -1.7, -1.6)) - tx_tdecq'))).toEqual(['tx_er', 'tx_tdecq']);
    expect(compileExpression('1 + 2').ids).toEqual([]);
  });
});

describe('missing inputs make the limit indeterminate, never a pass', () => {
  it('reports the missing id', () => {
    const r = compileExpression('max(-4.6, rx_secq - 6.0)').evaluate(values({}));
    expect(r).toEqual<EvaluationGap>({
      kind: 'missing-input',
      id: 'rx_secq',
      message: "missing input rx_secq for 'max(-4.6, rx_secq - 6.0)'",
    });
  });

  it('treats NaN as missing, and a missing condition input does not silently pick the else branch', () => {
    const row = compileExpression('if(tx_er >= 5, -2.2, -1.9)');
    expect(row.evaluate(values({ tx_er: NaN }))).toMatchObject({ kind: 'missing-input', id: 'tx_er' });
    expect(row.evaluate(values({}))).toMatchObject({ kind: 'missing-input', id: 'tx_er' });
    expect(row.evaluateOrNaN(values({}))).toBeNaN();
  });

  it('evaluates only the branch if() takes, and short-circuits and/or', () => {
    expect(valueOf('if(tx_er >= 5, -2.2, rx_missing)', { tx_er: 6 })).toBe(-2.2);
    expect(valueOf('if(1 > 2 and rx_missing > 0, 1, 0)')).toBe(0);
    expect(valueOf('if(1 < 2 or rx_missing > 0, 1, 0)')).toBe(1);
    expect(compileExpression('if(1 < 2 and rx_missing > 0, 1, 0)').evaluate(values({}))).toMatchObject({
      kind: 'missing-input',
      id: 'rx_missing',
    });
  });

  it('reports a non-finite result (log of zero, division by zero) as a gap, not a number', () => {
    expect(compileExpression('mw_to_dbm(x)').evaluate(values({ x: 0 }))).toMatchObject({ kind: 'not-finite' });
    expect(compileExpression('1 / x').evaluate(values({ x: 0 }))).toMatchObject({ kind: 'not-finite' });
    expect(compileExpression('log10(x)').evaluate(values({ x: -1 }))).toMatchObject({ kind: 'not-finite' });
  });

  it('the uncompiled evaluate(ast, lookup) gives the same answers', () => {
    const ast = parseExpression('max(-0.8, tx_tdecq - 2.2)');
    expect(evaluate(ast, values({ tx_tdecq: 2.5 }))).toBeCloseTo(0.3, 12);
    expect(evaluate(ast, values({}))).toMatchObject({ kind: 'missing-input', id: 'tx_tdecq' });
  });
});

describe('parse errors point at the column', () => {
  it.each([
    ['max(-4.6, rx_secq - )', 21, "expected a value, found ')'"],
    ['1 +', 4, 'expected a value, found the end of the expression'],
    ['(1 + 2', 7, "expected ')' to close the '(' at column 1"],
    ['1 + 2)', 6, "unmatched ')'"],
    ['1 2', 3, 'expected an operator or the end'],
    ['foo(1)', 1, "unknown function 'foo'"],
    ['max(1)', 1, 'max takes at least 2 arguments, got 1'],
    ['abs(1, 2)', 1, 'abs takes 1 argument, got 2'],
    ['if(1, 2, 3)', 4, 'the first argument of if() must be a condition'],
    ['if(1 < 2, 1 < 2, 3)', 18, 'both branches of if() must give the same kind of value'],
    ['tx_er >= 5', 1, 'a limit must be a number, but this gives a condition'],
    ['1 < 2 < 3', 7, 'comparisons cannot be chained'],
    ['1 + (2 > 1)', 3, "'+' needs a number on both sides"],
    ['1 and 2', 3, "'and' joins conditions"],
    ['not 1', 1, "'not' needs a condition"],
    ['tx_er = 5', 7, "unexpected character '=' (use '==' to compare)"],
    ['a && b', 3, "unexpected character '&' (use 'and', 'or', 'not')"],
    ['2x + 1', 1, "'2x' is not a number"],
    ['1e', 1, "'1e' is not a number"],
    ['1.2.3', 1, "'1.2.3' is not a number"],
    ['max', 1, "'max' is a function: write max(a, b, …)"],
    ['', 1, 'the expression is empty'],
    ['process.exit()', 8, "unexpected character '.'"],
  ])('%j → column %d: %s', (text, column, reason) => {
    const err = errorOf(text);
    expect(err.column).toBe(column);
    expect(err.message).toContain(`limit expression '${text}' column ${column}: ${reason}`);
  });

  it('refuses input nested deeper than the parser allows instead of overflowing the stack', () => {
    expect(errorOf('('.repeat(500) + '1' + ')'.repeat(500)).reason).toMatch(/nested more than 64 levels/);
    expect(errorOf('-'.repeat(900) + '1').reason).toMatch(/nested more than 64 levels/);
    expect(errorOf('1+'.repeat(3000) + '1').reason).toMatch(/longer than/);
  });
});

describe('safety (fast-check properties)', () => {
  const alphabet = fc.constantFrom(
    ...'0123456789.eE+-*/()<>=!,_ abcxyz'.split(''),
    'and ',
    'or ',
    'not ',
    'max(',
    'min(',
    'if(',
    'abs(',
    'log10(',
    'pow10(',
    'dbm_to_mw(',
    'mw_to_dbm(',
    'tx_er',
    'constructor',
    '__proto__',
    'globalThis',
    'process',
    'this',
    '`',
    '"',
    "'",
    ';',
    '=>',
    '{',
    '}',
    '[',
    ']',
    '\\',
    '−',
    '≥',
  );
  const program = fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''));

  it('the parser throws nothing but ExpressionError, on structured and on arbitrary strings', () => {
    const onlyExpressionErrors = (text: string): boolean => {
      try {
        parseExpression(text);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
      }
      return true;
    };
    fc.assert(fc.property(program, onlyExpressionErrors), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), onlyExpressionErrors), { numRuns: 1000 });
  });

  it('never executes code: JavaScript in an expression is an error or an unknown parameter, never run', () => {
    const g = globalThis as { __lotqaPwned?: number };
    delete g.__lotqaPwned;
    const attacks = [
      'globalThis.__lotqaPwned = 1',
      '(() => { globalThis.__lotqaPwned = 1 })()',
      'constructor.constructor("globalThis.__lotqaPwned = 1")()',
      'Function("globalThis.__lotqaPwned=1")()',
      'eval("globalThis.__lotqaPwned=1")',
      '`${globalThis.__lotqaPwned = 1}`',
    ];
    for (const text of attacks) expect(() => parseExpression(text)).toThrow(ExpressionError);
    // Names that exist on every JavaScript object are plain, unknown parameter ids here.
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(compileExpression(`${id} + 1`).evaluate(values({}))).toMatchObject({ kind: 'missing-input', id });
    }
    fc.assert(
      fc.property(program, (text) => {
        try {
          const compiled = compileExpression(text);
          compiled.evaluate(() => 1);
        } catch (err) {
          if (!(err instanceof ExpressionError)) throw err;
        }
        return g.__lotqaPwned === undefined;
      }),
      { numRuns: 1000 },
    );
  });

  it('compiled closures agree with a direct reading of the formula on random inputs', () => {
    const compiled = compileExpression('max(-0.3, tx_tdecq + if(tx_er >= 4.5, -1.7, -1.6))');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 2, max: 9, noNaN: true }), (tdecq, er) => {
        const expected = Math.max(-0.3, tdecq + (er >= 4.5 ? -1.7 : -1.6));
        return compiled.evaluate(values({ tx_tdecq: tdecq, tx_er: er })) === expected;
      }),
    );
  });
});
