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
export type { HeaderSource, SamplingOptions } from './http.ts';
export {
  contextFromHeaders,
  contextToHeaders,
  DEFAULT_DEBUG_SAMPLE_RATE,
  MAX_CORRELATION_IDS,
  MAX_CORRELATION_VALUE_LENGTH,
  REQUEST_ID_HEADER,
  sampleDebug,
} from './http.ts';
