/**
 * The file BullMQ's sandbox child imports. BullMQ forks a plain `node` with the parent's flags: a worker
 * started as `node --import tsx …` passes the TypeScript loader on, but `lotqa worker` (bin/lotqa.mjs
 * registers tsx in-process) does not, and the child could not load a .ts file. Register the loader here
 * when the child does not already have it, then hand over to the TypeScript processor.
 */
import { register } from 'tsx/esm/api';

if (!process.execArgv.some((arg) => arg.includes('tsx'))) register();
const { default: lotJobsSandbox } = await import('./lot-jobs-sandbox.ts');
export default lotJobsSandbox;
