// Entry of a parse-pool worker thread: registers tsx's loader in this thread (lotqa runs its
// TypeScript without a build step), then loads the worker body.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
