/**
 * @module Conditional limits in words, for people who do not read code: the spec's expression
 * `max(-0.8, tx_tdecq + if(tx_er >= 5, -2.2, -1.9))` reads "the larger of -0.8 and TDECQ + (-2.2 if
 * extinction ratio ≥ 5 dB, otherwise -1.9)". Parameters are named as the certificate names them (the
 * acronym in the spec's name when it has one), numbers as the spec writes them. Pure.
 */
import { parseExpression, type ExpressionNode } from '../domain/limit-expression.js';

/** How the words name a parameter and its unit. */
export interface ParameterNaming {
  readonly name: string;
  readonly unit: string;
}

/**
 * Short name of a parameter for a sentence: the acronym in parentheses when the name has one
 * ("… (TDECQ), each lane" → "TDECQ"), else the name before its first comma, lower-cased after the first
 * word ("Extinction ratio, each lane" → "extinction ratio").
 */
export function shortParameterName(name: string): string {
  const acronym = /\(([A-Za-z][A-Za-z0-9 .−-]*)\)/.exec(name);
  if (acronym && acronym[1]!.length <= 16) return acronym[1]!;
  const head = name.split(',')[0]!.trim();
  return head.length > 0 ? head.charAt(0).toLowerCase() + head.slice(1) : name;
}

const COMPARISON_WORDS: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

/** Words for a limit expression; `names` maps parameter ids (unknown ids are printed as written). */
export function limitInWords(expression: string, names: ReadonlyMap<string, ParameterNaming>): string {
  let ast: ExpressionNode;
  try {
    ast = parseExpression(expression);
  } catch {
    return expression;
  }
  const name = (id: string): string => {
    const n = names.get(id);
    return n ? shortParameterName(n.name) : id;
  };
  const unitOf = (node: ExpressionNode): string | null => (node.kind === 'ref' ? (names.get(node.id)?.unit ?? null) : null);
  const num = (v: number): string => String(v);

  /** `top`: the node stands alone (no parentheses needed around a conditional or a sum). */
  const words = (node: ExpressionNode, top: boolean): string => {
    switch (node.kind) {
      case 'number':
        return num(node.value);
      case 'ref':
        return name(node.id);
      case 'unary':
        return node.op === '-' ? `-${words(node.operand, false)}` : `not ${words(node.operand, false)}`;
      case 'binary': {
        if (node.op in COMPARISON_WORDS) {
          const unit = unitOf(node.left) ?? unitOf(node.right);
          const right = node.right.kind === 'number' && unit !== null ? `${num(node.right.value)} ${unit}` : words(node.right, false);
          return `${words(node.left, false)} ${COMPARISON_WORDS[node.op]} ${right}`;
        }
        if (node.op === 'and' || node.op === 'or') return `${words(node.left, false)} ${node.op} ${words(node.right, false)}`;
        // "a + -2.2" reads "a - 2.2".
        if ((node.op === '+' || node.op === '-') && node.right.kind === 'number' && node.right.value < 0) {
          const text = `${words(node.left, false)} ${node.op === '+' ? '-' : '+'} ${num(-node.right.value)}`;
          return top ? text : `(${text})`;
        }
        const text = `${words(node.left, false)} ${node.op === '*' ? '×' : node.op === '/' ? '÷' : node.op} ${words(node.right, false)}`;
        return top || node.op === '*' || node.op === '/' ? text : `(${text})`;
      }
      case 'call': {
        const a = node.args.map((x) => words(x, true));
        switch (node.fn) {
          case 'max':
            return wrap(`the larger of ${list(a)}`, top);
          case 'min':
            return wrap(`the smaller of ${list(a)}`, top);
          case 'abs':
            return `|${a[0]}|`;
          case 'log10':
            return `log10(${a[0]})`;
          case 'pow10':
            return `10^(${a[0]})`;
          case 'dbm_to_mw':
            return wrap(`${a[0]} in mW`, top);
          case 'mw_to_dbm':
            return wrap(`${a[0]} in dBm`, top);
          case 'if':
            return wrap(`${words(node.args[1]!, true)} if ${words(node.args[0]!, true)}, otherwise ${words(node.args[2]!, true)}`, top);
        }
      }
    }
  };
  return words(ast, true);
}

function wrap(text: string, top: boolean): string {
  return top ? text : `(${text})`;
}

function list(items: readonly string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
