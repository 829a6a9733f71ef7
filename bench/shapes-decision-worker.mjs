// Entry of a shapes-decision worker thread: registers tsx's loader in this thread, then loads the study,
// which answers tasks when it is not the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./shapes-decision.ts');
