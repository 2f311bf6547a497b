// Entry of the stream worker thread. A worker does not inherit the TypeScript loader of the
// thread that starts it (tsx under `npm start`, vite under vitest), so register tsx here.
import { register } from 'tsx/esm/api';

register();
await import('./streams-worker.ts');
