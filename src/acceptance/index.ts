/**
 * @module acceptance — lot acceptance: the policy schema check, Z1.4 attributes plans and switching rules,
 * Z1.9 variables decisions, c = 0 plans and OC curves. Pure functions; no I/O.
 */
export * from './errors.js';
export { validatePolicy } from '../domain/policy-validation.js';
export * from './z14-plans.js';
export * from './z14-switching.js';
export * from './z19-variables.js';
export * from './c0-plans.js';
export * from './oc-curve.js';
