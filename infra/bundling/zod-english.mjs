// Bundling only: what `import ... from 'zod'` resolves to in the Lambda bundles
// (infra/lambda-function.ts aliases `zod` here). zod's `z` namespace re-exports every locale,
// about 250 KB minified, and @hono/zod-openapi passes `z` around as a value, so no bundler can
// drop them. This is zod's own index with English messages only; the API is unchanged.
import * as z from './zod-english-external.mjs';

export * from './zod-english-external.mjs';
export { z, z as default };
