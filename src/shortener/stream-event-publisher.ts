import { contextToAttributes } from '../kit/context/index.ts';
import type { StreamLogger } from '../kit/stream/logger.ts';
import type { StreamProducer } from '../kit/stream/ports.ts';
import type { NewRecord } from '../kit/stream/types.ts';
import type { LinkEvent, LinkEventPublisher } from './ports.ts';

export interface StreamEventPublisherOptions {
  producer: StreamProducer;
  /** Logical stream name, e.g. `links`. */
  stream: string;
  logger?: Pick<StreamLogger, 'error'>;
}

/**
 * LinkEventPublisher over any StreamProducer (Kinesis on AWS). `publish` returns at once; the
 * events of one tick go out together in one `append` (one PutRecords), each with the
 * correlation context of the request that published it. On Lambda, await `flush()` before
 * returning: a frozen process sends nothing.
 *
 * @example
 * const events = new StreamEventPublisher({ producer, stream: 'links' });
 * events.publish({ type: 'link.visited', code, at });
 * await events.flush();
 */
export class StreamEventPublisher implements LinkEventPublisher {
  readonly #producer: StreamProducer;
  readonly #stream: string;
  readonly #logger: Pick<StreamLogger, 'error'> | undefined;
  #buffer: NewRecord[] = [];
  #inFlight = new Set<Promise<void>>();
  #scheduled = false;
  /** Events that could not be appended (after the producer's own resends). */
  lost = 0;

  constructor(options: StreamEventPublisherOptions) {
    this.#producer = options.producer;
    this.#stream = options.stream;
    this.#logger = options.logger;
  }

  publish(event: LinkEvent): void {
    // Sent later, outside this request's context: capture it now, as the record's attributes.
    const attributes = contextToAttributes();
    this.#buffer.push({ partitionKey: event.code, data: event, attributes });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#send());
    }
  }

  /** Resolve when every event published so far has been appended (or counted lost). */
  async flush(): Promise<void> {
    this.#send();
    await Promise.all(this.#inFlight);
  }

  #send(): void {
    this.#scheduled = false;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    const sending = this.#producer
      .append(this.#stream, batch)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.lost += batch.length;
        this.#logger?.error({ err: error, events: batch.length }, 'could not publish link events');
      })
      .finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
  }
}
