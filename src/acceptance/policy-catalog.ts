/**
 * @module Policy catalog — an id picks a shipped policy in `schemas/policies/`, a path loads the
 * user's own file. Every policy is validated against the schema before use.
 */
import { ConfigurationError, LotqaError } from '../errors/lotqa-error.js';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import { validatePolicy } from '../domain/policy-validation.js';
import { PolicyValidationError } from './errors.js';

export const SHIPPED_POLICIES_DIR = fileURLToPath(new URL('../../schemas/policies/', import.meta.url));

export function listShippedPolicies(): string[] {
  return readdirSync(SHIPPED_POLICIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

export function findPolicy(idOrPath: string): AcceptancePolicy {
  const isPath = /[\\/]/.test(idOrPath) || idOrPath.endsWith('.json');
  const path = isPath ? resolve(idOrPath) : resolve(SHIPPED_POLICIES_DIR, `${idOrPath}.json`);
  if (!isPath && !listShippedPolicies().includes(idOrPath)) {
    throw new LotqaError(`unknown acceptance policy '${idOrPath}' (shipped policies: ${listShippedPolicies().join(', ')})`, {
      hint: 'to use your own policy, pass the path of its JSON file',
    });
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigurationError(`cannot read acceptance policy ${path}: ${(err as Error).message}`, {
      hint: 'check the policy path (--policy, or policy in lotqa.config.json)',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PolicyValidationError(path, '/', `is not valid JSON: ${(err as Error).message}`);
  }
  return Object.freeze(validatePolicy(data, path));
}
