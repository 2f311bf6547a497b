// The one locale the Lambda bundles keep (zod's default).
export { default as en } from '../../node_modules/zod/v4/locales/en.js';
