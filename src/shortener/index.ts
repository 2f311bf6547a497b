export { ApiKeys } from './api-keys.ts';
export type { ShortenerDeps, ShortenerSettings } from './app.ts';
export { createShortenerApp } from './app.ts';
export type { AppLinksOptions } from './app-links.ts';
export { buildAppleAppSiteAssociation, buildAssetLinks } from './app-links.ts';
export { CodeCodec, CounterBlocks, isValidAlphabet, randomAlphabet } from './codes.ts';
export type { ShortenerErrorCode } from './errors.ts';
export { errorBody, ShortenerError } from './errors.ts';
export { hashUrl, LinkService } from './links.ts';
export type { Page } from './page.ts';
export { loadPage } from './page.ts';
export type {
  InsertResult,
  Link,
  LinkEvent,
  LinkEventPublisher,
  LinkStats,
  LinkStore,
  NewLink,
} from './ports.ts';
export { RateLimiter } from './rate-limit.ts';
export type { StreamEventPublisherOptions } from './stream-event-publisher.ts';
export { StreamEventPublisher } from './stream-event-publisher.ts';
export { checkSlug, checkUrl, MAX_URL_LENGTH, RESERVED_SLUGS } from './validation.ts';
