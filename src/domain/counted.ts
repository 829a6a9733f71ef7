/**
 * @module Counts in words for the domain's readers: the words themselves live at the bottom layer
 * (src/counted.ts) so pure statistics (src/spc) can say "3 values" too without importing the domain.
 */
export { agreeing, counted } from '../counted.js';
