export type { RequestContext } from './context.ts';
export {
  CONTEXT_ATTRIBUTE,
  CORRELATION_ID,
  CORRELATION_PREFIX,
  contextFromAttributes,
  contextToAttributes,
  currentContext,
  DEBUG_HEADER,
  newContext,
  runWithContext,
} from './context.ts';
