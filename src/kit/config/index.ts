export type { Cipher, Envelope } from './cipher.ts';
export {
  CipherError,
  isEnvelope,
  openJson,
  openWithDataKey,
  sealJson,
  sealWithDataKey,
} from './cipher.ts';
export type {
  ConfigChange,
  ConfigClientLogger,
  ConfigClientMetrics,
  ConfigClientOptions,
} from './client.ts';
export { ConfigClient } from './client.ts';
export type { ConfigClientErrorCode } from './errors.ts';
export { ConfigClientError } from './errors.ts';
export type { PutInput, ServiceClientOptions } from './service-client.ts';
export { ConfigServiceClient } from './service-client.ts';
export type { ConfigItem, ConfigList } from './wire.ts';
export { NAME_PATTERN, secretAad } from './wire.ts';
