/**
 * @module SpecFileError — the one error a user sees for a product spec, station profile or other
 * document that cannot be used: the file, and every problem with the JSON pointer of its field (or the
 * line and column of a JSON syntax error), one per line.
 */
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';

/** One finding about a document: where (JSON pointer, or line/column for syntax) and what is wrong. */
export interface SpecProblem {
  /** JSON pointer of the field ("/parameters/3/lsl"), "/" for the whole document, null for a syntax or file error. */
  readonly pointer: string | null;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** Escapes one key for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`), e.g. a test name "Rx/Sens". */
export function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function formatProblem(p: SpecProblem): string {
  if (p.pointer === null) return p.line !== undefined ? `line ${p.line} column ${p.column ?? 1}: ${p.message}` : p.message;
  return `${p.pointer} ${p.message}`;
}

/** A spec/profile file that cannot be used; the message lists every problem, one per line. */
export class SpecFileError extends LotqaError {
  override readonly name = 'SpecFileError';
  constructor(
    /** The file (or source name) the problems are in. */
    readonly file: string,
    readonly problems: readonly SpecProblem[],
  ) {
    super(problems.map((p) => `${file}: ${formatProblem(p)}`).join('\n'), {
      exitCode: ExitCode.configOrService,
      hint: 'the JSON Schemas in schemas/ describe every field',
    });
  }
}
