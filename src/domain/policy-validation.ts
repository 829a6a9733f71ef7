/**
 * @module policy-validation — checks a parsed policy file against the AcceptancePolicy schema with ajv and
 * reports the single most useful failure as a JSON pointer.
 * It lives in the domain beside the policy's schema, so the catalog can validate a policy it loads without
 * reaching up into the acceptance stage.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';
import { AcceptancePolicy, CONFORMANCE_BY_MODE } from './acceptance-policy.js';

/** A policy file does not match the acceptance-policy schema. */
export class PolicyValidationError extends LotqaError {
  override readonly name = 'PolicyValidationError';
  constructor(
    readonly sourceName: string,
    /** JSON pointer of the failing field, e.g. `/conformance/aql`. */
    readonly pointer: string,
    readonly detail: string,
  ) {
    super(`${sourceName}: field "${pointer || '/'}" ${detail}. Fix the policy file and load it again.`, {
      exitCode: ExitCode.configOrService,
      hint: 'schemas/acceptance-policy.schema.json describes every field of a policy',
    });
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateWhole: ValidateFunction = ajv.compile(AcceptancePolicy);
const validateBranch = new Map<string, ValidateFunction>(
  Object.entries(CONFORMANCE_BY_MODE).map(([mode, schema]) => [mode, ajv.compile(schema)]),
);

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (error.keyword === 'additionalProperties') return `has an unknown property "${String(params['additionalProperty'])}"`;
  if (error.keyword === 'required') return `is missing the required property "${String(params['missingProperty'])}"`;
  if (error.keyword === 'const') return `must be ${JSON.stringify(params['allowedValue'])}`;
  return error.message ?? 'is invalid';
}

function valueAt(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Prefer the deepest concrete error; union bookkeeping (anyOf) says nothing the user can act on. */
function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const concrete = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if');
  return [...concrete].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0] ?? errors[0];
}

/**
 * Validates a parsed acceptance policy.
 * @param data the parsed JSON
 * @param sourceName file name or other label used in the error message
 * @throws PolicyValidationError naming the failing field's JSON pointer, the rule it breaks and the value found
 */
export function validatePolicy(data: unknown, sourceName: string): AcceptancePolicy {
  if (validateWhole(data)) return data as AcceptancePolicy;
  let errors: readonly ErrorObject[] = validateWhole.errors ?? [];
  let prefix = '';
  // The conformance union would otherwise report a failure for every branch; judge only the chosen mode.
  const mode = valueAt(data, '/conformance/mode');
  const branch = typeof mode === 'string' ? validateBranch.get(mode) : undefined;
  const conformance = valueAt(data, '/conformance');
  const others = errors.filter((e) => !e.instancePath.startsWith('/conformance'));
  if (branch && !branch(conformance) && others.length === 0) {
    errors = branch.errors ?? [];
    prefix = '/conformance';
  } else if (branch) {
    errors = others.length > 0 ? others : errors;
  }
  const error = pickError(errors);
  if (!error) throw new PolicyValidationError(sourceName, '/', 'is not a valid acceptance policy');
  const pointer = prefix + error.instancePath;
  const found =
    error.keyword === 'required' || error.keyword === 'additionalProperties' ? '' : `; found ${JSON.stringify(valueAt(data, pointer))}`;
  throw new PolicyValidationError(sourceName, pointer, describe(error) + found);
}
