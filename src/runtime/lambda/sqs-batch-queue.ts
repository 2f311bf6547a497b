import type { RetryMessage, RetryQueue } from '../../kit/stream/ports.ts';
import type { ErrorInfo } from '../../kit/stream/types.ts';

/**
 * A RetryQueue over one Lambda SQS batch, so the kit's own retry worker can decide each
 * message's fate unchanged. The worker's verbs become the batch response:
 * - `delete` (handled, or dead-lettered by the worker): success; Lambda deletes the message;
 * - `release`: a batch item failure; the message comes back after its visibility timeout
 *   (shortened to the worker's backoff when `setVisibility` is given), and SQS's redrive policy
 *   moves it to the DLQ after maxReceiveCount receives.
 * The first `receive` hands out the batch; the next one aborts the worker loop.
 */
export class SqsBatchQueue implements RetryQueue {
  readonly #messages: RetryMessage[];
  readonly #done: AbortController;
  readonly #setVisibility: ((receipt: string, delayMs: number) => Promise<void>) | undefined;
  #handedOut = false;
  /** Receipt handles released (failed), for the batch response. */
  readonly failed = new Set<string>();

  constructor(
    messages: RetryMessage[],
    done: AbortController,
    setVisibility?: (receipt: string, delayMs: number) => Promise<void>,
  ) {
    this.#messages = messages;
    this.#done = done;
    this.#setVisibility = setVisibility;
  }

  async send(): Promise<void> {
    throw new Error('the retry worker never sends to its own queue');
  }

  async receive(): Promise<RetryMessage[]> {
    if (this.#handedOut) {
      this.#done.abort();
      return [];
    }
    this.#handedOut = true;
    return this.#messages;
  }

  async delete(_processor: string, receipt: string): Promise<void> {
    this.failed.delete(receipt);
  }

  async release(
    _processor: string,
    receipt: string,
    update: { error: ErrorInfo; attempts: number; delayMs: number },
  ): Promise<void> {
    this.failed.add(receipt);
    await this.#setVisibility?.(receipt, update.delayMs);
  }

  async depth(): Promise<number> {
    return this.#handedOut ? 0 : this.#messages.length;
  }
}
