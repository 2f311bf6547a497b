export type { LimitBodyOptions } from './body-limit.ts';
export { limitBody } from './body-limit.ts';
export type { Fetch } from './client.ts';
export { createHttpClient } from './client.ts';
export { metricsHandler } from './metrics-handler.ts';
export type { ObserveRequestsOptions } from './middleware.ts';
export { observeRequests, REQUEST_LATENCY_METRIC } from './middleware.ts';
export type { Observability, ObservabilityOptions } from './observability.ts';
export { createObservability, debugSampleRateFromEnv } from './observability.ts';
