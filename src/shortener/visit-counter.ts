/**
 * The `visit-counter` processor: per-link visit counts from `link.visited` events, counted
 * exactly once per event even when the stream replays records (after a crash) or the retry
 * worker delivers one again.
 */
import { defineProcessor, NonRetryableError, type Processor } from '../kit/stream/index.ts';
import type { LinkEvent } from './ports.ts';

/** Identifies one stream record: the unit counted exactly once. */
export interface VisitPosition {
  stream: string;
  shardId: string;
  sequenceNumber: string;
}

/**
 * Where visits are counted, idempotent by position: a position is counted at most once,
 * however often it is replayed. A ledger may buffer (`countVisit` returns at once) and make
 * the counts durable in `flush`, one transaction per batch; the engine flushes before every
 * checkpoint write. A failed flush keeps its buffer, and the replay that follows is
 * recognised by position.
 */
export interface VisitLedger {
  /** Count one visit of `code` at `position` (once, whatever the number of calls). */
  countVisit(code: string, position: VisitPosition): void | Promise<void>;
  /** Make counted visits durable. */
  flush?(): unknown;
}

export const VISIT_COUNTER = 'visit-counter';
export const LINKS_STREAM = 'links';

const isLinkEvent = (data: unknown): data is LinkEvent =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as { type?: unknown }).type === 'string' &&
  typeof (data as { code?: unknown }).code === 'string';

/**
 * Build the visit counter on a ledger. Policy `retry`: a failing count is retried in process
 * within 2 s, then through the retry queue, and never blocks the other links of its shard.
 * A record that is not a link event cannot be fixed by retrying and goes to dead letters.
 *
 * @example
 * const processor = visitCounterProcessor(new SqliteVisitStats(db));
 * await startProcessors([processor], ports);
 */
export function visitCounterProcessor(ledger: VisitLedger): Processor<LinkEvent> {
  return defineProcessor<LinkEvent>({
    name: VISIT_COUNTER,
    stream: LINKS_STREAM,
    policy: { kind: 'retry', retries: 2, budgetMs: 2_000, maxReceives: 3 },
    // Not async: a buffering ledger answers synchronously, so the engine's fast path applies.
    handler: (record, ctx) => {
      if (!isLinkEvent(record.data)) throw new NonRetryableError('not a link event');
      if (record.data.type !== 'link.visited') return;
      const counting = ledger.countVisit(record.data.code, record);
      // One info line per visit, off the request path: with the request's own line it is how
      // someone following an x-correlation-id sees the visit reach the counter.
      ctx.logger.info({ code: record.data.code }, 'visit counted');
      return counting;
    },
    ...(ledger.flush ? { flush: () => ledger.flush?.() } : {}),
  });
}
