// Entry of a decision-error-rates worker thread: registers tsx's loader in this thread, then loads the
// study itself, which answers tasks when it is not the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./decision-error-rates.ts');
