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
  /**
   * How long the first event of a batch waits for others, ms. Default 0: the events of one
   * event-loop turn go together. A few milliseconds make batches many times larger under load
   * (fewer appends, fewer and larger reads downstream) for a delay nobody notices in counts.
   */
  lingerMs?: number;
}

/**
 * LinkEventPublisher over any StreamProducer (Kinesis on AWS). `publish` returns at once; the
 * events of one tick (or of `lingerMs`) go out together in one `append` (one PutRecords), each with the
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
  readonly #lingerMs: number;
  #buffer: NewRecord[] = [];
  #inFlight = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Events that could not be appended (after the producer's own resends). */
  lost = 0;

  constructor(options: StreamEventPublisherOptions) {
    this.#producer = options.producer;
    this.#stream = options.stream;
    this.#logger = options.logger;
    this.#lingerMs = options.lingerMs ?? 0;
    if (!(this.#lingerMs >= 0)) throw new RangeError(`lingerMs ${options.lingerMs} is not >= 0`);
  }

  publish(event: LinkEvent): void {
    // Sent later, outside this request's context: capture it now, as the record's attributes.
    const attributes = contextToAttributes();
    this.#buffer.push({ partitionKey: event.code, data: event, attributes });
    // Even with no linger the timer waits out this turn (at least 1 ms), so its events join.
    this.#timer ??= setTimeout(() => this.#send(), this.#lingerMs);
  }

  /** Resolve when every event published so far has been appended (or counted lost). */
  async flush(): Promise<void> {
    this.#send();
    await Promise.all(this.#inFlight);
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
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
