/**
 * Operator actions on dead letters.
 */
import { NotFoundError } from './errors.ts';
import type { DeadLetters, RetryQueue } from './ports.ts';

/**
 * Send a dead letter back through its processor: it goes on the processor's retry queue as a
 * fresh message (receive count 0), and the retry worker runs the handler again. Queued first,
 * removed second, so a crash in between can only duplicate it.
 *
 * @example
 * await redrive({ deadLetters, retryQueue }, 'dl-3f2a9c01b7e4');
 */
export async function redrive(
  ports: { deadLetters: DeadLetters; retryQueue: RetryQueue },
  id: string,
): Promise<void> {
  const letter = await ports.deadLetters.get(id);
  if (!letter) throw new NotFoundError(`no dead letter with id ${JSON.stringify(id)}`);
  await ports.retryQueue.send({
    processor: letter.processor,
    record: letter.record,
    error: letter.error,
    attempts: letter.attempts,
  });
  await ports.deadLetters.remove(id);
}
