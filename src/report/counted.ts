/**
 * @module A count and its noun in the right number: the report modules' name for src/counted.ts
 * (the CLI, the evaluation's reasons and the console use the same words).
 */
export { agreeing, counted } from '../domain/counted.js';
