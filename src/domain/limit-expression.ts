/**
 * @module Limit expressions — the small, safe language a product spec uses for conditional limits and
 * derived parameters, e.g. `max(-0.8, tx_tdecq - 2.2)`, `if(tx_er >= 5, -2.2, -1.9)`,
 * `tx_oma_outer - tx_tdecq`. Several IEEE/MSA limits depend on another measurement of the same lane
 * (shared/domain/transceiver-test.md §1.1 notes), so a spec file needs formulas — but a spec file is
 * user input, so it is parsed by a hand-written tokenizer and Pratt parser into a typed AST and
 * compiled into closures. Nothing is ever handed to `eval`/`Function`, and names are looked up in
 * `Map`s, never on plain objects (so `constructor` or `__proto__` are just unknown ids).
 *
 * Grammar (lowest to highest precedence):
 * ```
 * expr        := or
 * or          := and ('or' and)*
 * and         := not ('and' not)*
 * not         := 'not' not | comparison
 * comparison  := additive (('<' | '<=' | '>' | '>=' | '==' | '!=') additive)?   // never chained
 * additive    := term (('+' | '-') term)*
 * term        := unary (('*' | '/') unary)*
 * unary       := '-' unary | primary
 * primary     := number | id | id '(' expr (',' expr)* ')' | '(' expr ')'
 * ```
 * Values are typed: arithmetic and functions give numbers, comparisons and `and`/`or`/`not` give
 * conditions; a whole limit or derived expression must give a number. Type errors are parse errors,
 * with the column of the offending operator.
 *
 * Evaluation of a compiled expression reads parameter values through a lookup; an input that is
 * missing (undefined or NaN) makes the result a {@link EvaluationGap} instead of a number, so the
 * caller can judge the unit "indeterminate" rather than pass it.
 */
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';

/** A parse, type or arity problem, always pointing at a column of the expression text. */
export class ExpressionError extends LotqaError {
  override readonly name = 'ExpressionError';
  /** 1-based column of the problem in `expression`. */
  readonly column: number;
  constructor(
    readonly expression: string,
    /** 0-based offset into the expression. */
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`limit expression '${expression}' column ${offset + 1}: ${reason}`, { exitCode: ExitCode.configOrService });
    this.column = offset + 1;
  }
}

export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ArithmeticOperator = '+' | '-' | '*' | '/';
export type BinaryOperator = ArithmeticOperator | ComparisonOperator | 'and' | 'or';
export type FunctionName = 'max' | 'min' | 'abs' | 'log10' | 'pow10' | 'dbm_to_mw' | 'mw_to_dbm' | 'if';
/** What a node gives: a number, or a condition (true/false). */
export type ValueType = 'number' | 'condition';

interface Span {
  /** 0-based offset of the node's first character. */
  readonly start: number;
  /** 0-based offset just after the node's last character. */
  readonly end: number;
  readonly type: ValueType;
}
export type ExpressionNode =
  | (Span & { readonly kind: 'number'; readonly value: number })
  | (Span & { readonly kind: 'ref'; readonly id: string })
  | (Span & { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: ExpressionNode })
  | (Span & { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: ExpressionNode; readonly right: ExpressionNode })
  | (Span & { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly ExpressionNode[] });

/** Longest expression text accepted; the spec schema allows 500 characters. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** Deepest nesting accepted, so hostile input cannot overflow the parser's stack. */
export const MAX_NESTING = 64;

// ─── tokenizer ────────────────────────────────────────────────────────────────────────────────────

type TokenKind = 'number' | 'id' | 'op' | 'eof';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly value: number;
}

/** Typographic operators users paste from datasheets and the domain reference (−, ≤, ≥, ≠). */
const TYPOGRAPHIC = new Map<string, string>([
  ['\u2212', '-'],
  ['\u2264', '<='],
  ['\u2265', '>='],
  ['\u2260', '!='],
]);
const TWO_CHAR_OPS = new Set(['<=', '>=', '==', '!=']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '(', ')', ',', '<', '>']);
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    const typographic = TYPOGRAPHIC.get(ch);
    if (typographic !== undefined) {
      tokens.push({ kind: 'op', text: typographic, start: i, value: NaN });
      i += 1;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num !== null) {
      const after = rest.charAt(num[0].length);
      if (/[A-Za-z0-9_.]/.test(after)) {
        const bad = /^[A-Za-z0-9_.+-]*/.exec(rest)?.[0] ?? num[0];
        throw new ExpressionError(text, i, `'${bad}' is not a number (write e.g. 1.5, -4.6 or 2.4e-4)`);
      }
      tokens.push({ kind: 'number', text: num[0], start: i, value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id !== null) {
      tokens.push({ kind: 'id', text: id[0], start: i, value: NaN });
      i += id[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, start: i, value: NaN });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(ch)) {
      tokens.push({ kind: 'op', text: ch, start: i, value: NaN });
      i += 1;
      continue;
    }
    const shown = String.fromCodePoint(text.codePointAt(i) ?? 0);
    const hint = ch === '=' ? " (use '==' to compare)" : ch === '&' || ch === '|' || ch === '!' ? " (use 'and', 'or', 'not')" : '';
    throw new ExpressionError(text, i, `unexpected character '${shown}'${hint}`);
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, value: NaN });
  return tokens;
}

// ─── parser ───────────────────────────────────────────────────────────────────────────────────────

interface InfixRule {
  readonly lbp: number;
  readonly rbp: number;
}
const INFIX = new Map<string, InfixRule>([
  ['or', { lbp: 1, rbp: 2 }],
  ['and', { lbp: 3, rbp: 4 }],
  ['<', { lbp: 7, rbp: 8 }],
  ['<=', { lbp: 7, rbp: 8 }],
  ['>', { lbp: 7, rbp: 8 }],
  ['>=', { lbp: 7, rbp: 8 }],
  ['==', { lbp: 7, rbp: 8 }],
  ['!=', { lbp: 7, rbp: 8 }],
  ['+', { lbp: 9, rbp: 10 }],
  ['-', { lbp: 9, rbp: 10 }],
  ['*', { lbp: 11, rbp: 12 }],
  ['/', { lbp: 11, rbp: 12 }],
]);
const NOT_RBP = 5;
const NEGATE_RBP = 13;
const COMPARISONS = new Set<string>(['<', '<=', '>', '>=', '==', '!=']);
const KEYWORDS = new Set(['and', 'or', 'not']);

interface FunctionRule {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly usage: string;
}
const FUNCTIONS = new Map<FunctionName, FunctionRule>([
  ['max', { minArgs: 2, maxArgs: Infinity, usage: 'max(a, b, …)' }],
  ['min', { minArgs: 2, maxArgs: Infinity, usage: 'min(a, b, …)' }],
  ['abs', { minArgs: 1, maxArgs: 1, usage: 'abs(x)' }],
  ['log10', { minArgs: 1, maxArgs: 1, usage: 'log10(x)' }],
  ['pow10', { minArgs: 1, maxArgs: 1, usage: 'pow10(x)' }],
  ['dbm_to_mw', { minArgs: 1, maxArgs: 1, usage: 'dbm_to_mw(dBm)' }],
  ['mw_to_dbm', { minArgs: 1, maxArgs: 1, usage: 'mw_to_dbm(mW)' }],
  ['if', { minArgs: 3, maxArgs: 3, usage: 'if(condition, value if true, value if false)' }],
]);
const FUNCTION_LIST = [...FUNCTIONS.keys()].join(', ');

const describeType = (t: ValueType): string => (t === 'number' ? 'a number' : 'a condition (true/false)');
function describeToken(tok: Token): string {
  if (tok.kind === 'eof') return 'the end of the expression';
  return `'${tok.text}'`;
}

class Parser {
  readonly #text: string;
  readonly #tokens: Token[];
  #pos = 0;
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  parseWhole(): ExpressionNode {
    const node = this.#expression(0);
    const tok = this.#peek();
    if (tok.kind !== 'eof') {
      const reason = tok.text === ')' ? "unmatched ')'" : `expected an operator or the end, found ${describeToken(tok)}`;
      throw this.#error(tok.start, reason);
    }
    return node;
  }

  #peek(): Token {
    // The token list always ends with 'eof' and #pos never moves past it.
    return this.#tokens[this.#pos] ?? this.#tokens[this.#tokens.length - 1]!;
  }
  #next(): Token {
    const tok = this.#peek();
    if (tok.kind !== 'eof') this.#pos += 1;
    return tok;
  }
  #error(offset: number, reason: string): ExpressionError {
    return new ExpressionError(this.#text, offset, reason);
  }
  #expect(text: string, context: string): Token {
    const tok = this.#peek();
    if (tok.kind !== 'op' || tok.text !== text) throw this.#error(tok.start, `expected '${text}' ${context}, found ${describeToken(tok)}`);
    return this.#next();
  }
  #infixOperator(tok: Token): string | null {
    if (tok.kind === 'op' && INFIX.has(tok.text)) return tok.text;
    if (tok.kind === 'id' && (tok.text === 'and' || tok.text === 'or')) return tok.text;
    return null;
  }

  #expression(minBp: number): ExpressionNode {
    this.#depth += 1;
    if (this.#depth > MAX_NESTING) throw this.#error(this.#peek().start, `nested more than ${MAX_NESTING} levels deep`);
    let left = this.#prefix();
    for (;;) {
      const tok = this.#peek();
      const op = this.#infixOperator(tok);
      if (op === null) break;
      const rule = INFIX.get(op)!;
      if (rule.lbp < minBp) break;
      this.#next();
      const right = this.#expression(rule.rbp);
      left = this.#binary(op as BinaryOperator, left, right, tok.start);
      if (COMPARISONS.has(op)) {
        const following = this.#peek();
        if (following.kind === 'op' && COMPARISONS.has(following.text)) {
          throw this.#error(following.start, "comparisons cannot be chained; join them with 'and' (e.g. a < b and b < c)");
        }
      }
    }
    this.#depth -= 1;
    return left;
  }

  #binary(op: BinaryOperator, left: ExpressionNode, right: ExpressionNode, at: number): ExpressionNode {
    const logical = op === 'and' || op === 'or';
    const want: ValueType = logical ? 'condition' : 'number';
    for (const side of [left, right]) {
      if (side.type !== want) {
        const reason = logical
          ? `'${op}' joins conditions such as comparisons, but one side is ${describeType(side.type)}`
          : `'${op}' needs a number on both sides, but one side is ${describeType(side.type)}`;
        throw this.#error(at, reason);
      }
    }
    const type: ValueType = logical || COMPARISONS.has(op) ? 'condition' : 'number';
    return { kind: 'binary', op, left, right, start: left.start, end: right.end, type };
  }

  #prefix(): ExpressionNode {
    const tok = this.#next();
    if (tok.kind === 'number') {
      return { kind: 'number', value: tok.value, start: tok.start, end: tok.start + tok.text.length, type: 'number' };
    }
    if (tok.kind === 'op' && tok.text === '-') {
      const operand = this.#expression(NEGATE_RBP);
      if (operand.type !== 'number') throw this.#error(tok.start, `'-' needs a number, but its operand is ${describeType(operand.type)}`);
      return { kind: 'unary', op: '-', operand, start: tok.start, end: operand.end, type: 'number' };
    }
    if (tok.kind === 'op' && tok.text === '(') {
      const inner = this.#expression(0);
      const close = this.#expect(')', `to close the '(' at column ${tok.start + 1}`);
      return { ...inner, start: tok.start, end: close.start + 1 };
    }
    if (tok.kind === 'id' && tok.text === 'not') {
      const operand = this.#expression(NOT_RBP);
      if (operand.type !== 'condition')
        throw this.#error(tok.start, `'not' needs a condition, but its operand is ${describeType(operand.type)}`);
      return { kind: 'unary', op: 'not', operand, start: tok.start, end: operand.end, type: 'condition' };
    }
    if (tok.kind === 'id' && !KEYWORDS.has(tok.text)) {
      const after = this.#peek();
      if (after.kind === 'op' && after.text === '(') return this.#call(tok);
      if (FUNCTIONS.has(tok.text as FunctionName))
        throw this.#error(tok.start, `'${tok.text}' is a function: write ${FUNCTIONS.get(tok.text as FunctionName)!.usage}`);
      return { kind: 'ref', id: tok.text, start: tok.start, end: tok.start + tok.text.length, type: 'number' };
    }
    throw this.#error(tok.start, `expected a value, found ${describeToken(tok)}`);
  }

  #call(name: Token): ExpressionNode {
    const fn = name.text as FunctionName;
    const rule = FUNCTIONS.get(fn);
    if (rule === undefined) throw this.#error(name.start, `unknown function '${name.text}' (known: ${FUNCTION_LIST})`);
    this.#next(); // '('
    const args: ExpressionNode[] = [];
    for (;;) {
      args.push(this.#expression(0));
      const tok = this.#peek();
      if (tok.kind === 'op' && tok.text === ',') {
        this.#next();
        continue;
      }
      break;
    }
    const close = this.#expect(')', `to close ${name.text}( at column ${name.start + 1}`);
    if (args.length < rule.minArgs || args.length > rule.maxArgs) {
      const wanted = rule.maxArgs === Infinity ? `at least ${rule.minArgs}` : `${rule.minArgs}`;
      throw this.#error(
        name.start,
        `${name.text} takes ${wanted} argument${rule.minArgs === 1 ? '' : 's'}, got ${args.length}: ${rule.usage}`,
      );
    }
    let type: ValueType = 'number';
    if (fn === 'if') {
      const [cond, whenTrue, whenFalse] = args as [ExpressionNode, ExpressionNode, ExpressionNode];
      if (cond.type !== 'condition')
        throw this.#error(cond.start, `the first argument of if() must be a condition (e.g. tx_er >= 5), not ${describeType(cond.type)}`);
      if (whenTrue.type !== whenFalse.type)
        throw this.#error(
          whenFalse.start,
          `both branches of if() must give the same kind of value (${describeType(whenTrue.type)} vs ${describeType(whenFalse.type)})`,
        );
      type = whenTrue.type;
    } else {
      for (const arg of args) {
        if (arg.type !== 'number')
          throw this.#error(arg.start, `${name.text}() needs numbers, but this argument is ${describeType(arg.type)}`);
      }
    }
    return { kind: 'call', fn, args, start: name.start, end: close.start + 1, type };
  }
}

/**
 * Parses and type-checks a limit or derived-parameter expression. The result must be a number.
 * @throws ExpressionError with the column of the first problem, e.g.
 *   `limit expression 'max(-4.6, rx_secq - )' column 21: expected a value, found ')'`.
 */
export function parseExpression(text: string): ExpressionNode {
  if (typeof text !== 'string') throw new ExpressionError(String(text), 0, 'an expression must be text');
  if (text.length > MAX_EXPRESSION_LENGTH)
    throw new ExpressionError(text.slice(0, 40) + '…', MAX_EXPRESSION_LENGTH, `longer than ${MAX_EXPRESSION_LENGTH} characters`);
  if (text.trim() === '') throw new ExpressionError(text, 0, 'the expression is empty');
  const root = new Parser(text).parseWhole();
  if (root.type !== 'number') {
    throw new ExpressionError(
      text,
      root.start,
      'a limit must be a number, but this gives a condition (true/false); wrap it in if(condition, a, b)',
    );
  }
  return root;
}

/** Every parameter id the expression reads, sorted and without repeats. */
export function referencedIds(ast: ExpressionNode): string[] {
  const ids = new Set<string>();
  const walk = (n: ExpressionNode): void => {
    switch (n.kind) {
      case 'ref':
        ids.add(n.id);
        return;
      case 'unary':
        walk(n.operand);
        return;
      case 'binary':
        walk(n.left);
        walk(n.right);
        return;
      case 'call':
        n.args.forEach(walk);
        return;
      case 'number':
        return;
    }
  };
  walk(ast);
  return [...ids].sort();
}

/** Every reference in the expression with its position, for "unknown id" messages with a column. */
export function references(ast: ExpressionNode): { readonly id: string; readonly start: number }[] {
  const out: { id: string; start: number }[] = [];
  const walk = (n: ExpressionNode): void => {
    if (n.kind === 'ref') out.push({ id: n.id, start: n.start });
    else if (n.kind === 'unary') walk(n.operand);
    else if (n.kind === 'binary') {
      walk(n.left);
      walk(n.right);
    } else if (n.kind === 'call') n.args.forEach(walk);
  };
  walk(ast);
  return out;
}

// ─── evaluation ───────────────────────────────────────────────────────────────────────────────────

/** Reads the value of a parameter of the same unit, lane and corner; undefined (or NaN) = not measured. */
export type Lookup = (id: string) => number | undefined;

/** Why an expression has no value for this unit: the unit's verdict on that limit is 'indeterminate'. */
export type EvaluationGap =
  | { readonly kind: 'missing-input'; readonly id: string; readonly message: string }
  | { readonly kind: 'not-finite'; readonly message: string };

export const isEvaluationGap = (r: number | EvaluationGap): r is EvaluationGap => typeof r !== 'number';

/** An expression compiled once into closures; evaluate it per unit × lane × corner. */
export interface CompiledExpression {
  readonly text: string;
  readonly ast: ExpressionNode;
  /** Parameter ids it reads (sorted). */
  readonly ids: readonly string[];
  /** The value, or why there is none (a missing input, or a non-finite result such as log10(0)). */
  evaluate(lookup: Lookup): number | EvaluationGap;
  /** Allocation-free variant for hot loops: NaN when `evaluate` would return a gap. */
  evaluateOrNaN(lookup: Lookup): number;
}

/** Internal compiled form: conditions are 1/0; NaN propagates "no value" through every operator. */
type Eval = (lookup: Lookup) => number;

function compileNode(node: ExpressionNode, noteMissing: (id: string) => void): Eval {
  switch (node.kind) {
    case 'number': {
      const v = node.value;
      return () => v;
    }
    case 'ref': {
      const id = node.id;
      return function readParameter(lookup) {
        const v = lookup(id);
        if (v === undefined || v !== v) {
          noteMissing(id);
          return NaN;
        }
        return v;
      };
    }
    case 'unary': {
      const operand = compileNode(node.operand, noteMissing);
      if (node.op === '-') return (l) => -operand(l);
      return (l) => {
        const v = operand(l);
        return v !== v ? NaN : v === 0 ? 1 : 0;
      };
    }
    case 'binary':
      return compileBinary(node.op, compileNode(node.left, noteMissing), compileNode(node.right, noteMissing));
    case 'call':
      return compileCall(
        node.fn,
        node.args.map((a) => compileNode(a, noteMissing)),
      );
  }
}

function compileBinary(op: BinaryOperator, a: Eval, b: Eval): Eval {
  switch (op) {
    case '+':
      return (l) => a(l) + b(l);
    case '-':
      return (l) => a(l) - b(l);
    case '*':
      return (l) => a(l) * b(l);
    case '/':
      return (l) => a(l) / b(l);
    case 'and':
      // Short-circuit: a false left side decides, even when the right side's input is missing.
      return (l) => {
        const x = a(l);
        if (x !== x) return NaN;
        return x === 0 ? 0 : b(l);
      };
    case 'or':
      return (l) => {
        const x = a(l);
        if (x !== x) return NaN;
        return x !== 0 ? 1 : b(l);
      };
    default: {
      const test = COMPARE.get(op)!;
      // A comparison with a missing side has no truth value; it must not silently pick a branch.
      return (l) => {
        const x = a(l);
        const y = b(l);
        if (x !== x || y !== y) return NaN;
        return test(x, y) ? 1 : 0;
      };
    }
  }
}

const COMPARE = new Map<string, (x: number, y: number) => boolean>([
  ['<', (x, y) => x < y],
  ['<=', (x, y) => x <= y],
  ['>', (x, y) => x > y],
  ['>=', (x, y) => x >= y],
  ['==', (x, y) => x === y],
  ['!=', (x, y) => x !== y],
]);

function compileCall(fn: FunctionName, args: Eval[]): Eval {
  const [a, b, c] = args as [Eval, Eval, Eval];
  switch (fn) {
    case 'if':
      // Only the chosen branch is evaluated, so a missing input in the other branch does not matter.
      return (l) => {
        const cond = a(l);
        if (cond !== cond) return NaN;
        return cond !== 0 ? b(l) : c(l);
      };
    case 'max':
    case 'min': {
      const pick = fn === 'max' ? Math.max : Math.min;
      if (args.length === 2) return (l) => pick(a(l), b(l)); // Math.max/min return NaN when any input is NaN
      return (l) => {
        let acc = fn === 'max' ? -Infinity : Infinity;
        for (const f of args) acc = pick(acc, f(l));
        return acc;
      };
    }
    case 'abs':
      return (l) => Math.abs(a(l));
    case 'log10':
      return (l) => Math.log10(a(l));
    case 'pow10':
      return (l) => 10 ** a(l);
    case 'dbm_to_mw':
      return (l) => 10 ** (a(l) / 10);
    case 'mw_to_dbm':
      return (l) => 10 * Math.log10(a(l));
  }
}

/**
 * Compiles an expression (text or parsed AST) once into closures.
 * @example
 * const oma = compileExpression('max(-0.8, tx_tdecq - 2.2)');
 * oma.evaluate((id) => (id === 'tx_tdecq' ? 2.5 : undefined)); // 0.3
 */
export function compileExpression(source: string | ExpressionNode, text?: string): CompiledExpression {
  const ast = typeof source === 'string' ? parseExpression(source) : source;
  const exprText = typeof source === 'string' ? source : (text ?? '<expression>');
  // The first missing id of the current evaluation. JavaScript is single-threaded and evaluation never
  // re-enters the same compiled expression, so one slot per compiled expression is safe.
  let missing: string | null = null;
  const root = compileNode(ast, (id) => {
    missing ??= id;
  });
  const ids = Object.freeze(referencedIds(ast));
  return Object.freeze({
    text: exprText,
    ast,
    ids,
    evaluate(lookup: Lookup): number | EvaluationGap {
      missing = null;
      const v = root(lookup);
      if (Number.isFinite(v)) return v;
      if (missing !== null) {
        const id: string = missing;
        return { kind: 'missing-input', id, message: `missing input ${id} for '${exprText}'` };
      }
      return { kind: 'not-finite', message: `'${exprText}' gives ${v} for these inputs` };
    },
    evaluateOrNaN(lookup: Lookup): number {
      const v = root(lookup);
      return Number.isFinite(v) ? v : NaN;
    },
  });
}

const compiledByAst = new WeakMap<ExpressionNode, CompiledExpression>();

/** Evaluates a parsed expression (compiled on first use and cached per AST). */
export function evaluate(ast: ExpressionNode, lookup: Lookup): number | EvaluationGap {
  let compiled = compiledByAst.get(ast);
  if (compiled === undefined) {
    compiled = compileExpression(ast);
    compiledByAst.set(ast, compiled);
  }
  return compiled.evaluate(lookup);
}
