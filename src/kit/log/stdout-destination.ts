import type { DestinationStream } from 'pino';
import { pino } from 'pino';

type BatchingDestination = DestinationStream & { flush(): void };

const shared = new Map<number | string, BatchingDestination>();

/**
 * stdout, written once per event-loop turn: the lines a turn produces (many, under load) go
 * out in one synchronous write instead of one write each. Order is kept; a normal exit or a
 * crash still writes what is pending (an `exit` handler), and only a SIGKILL can lose the
 * lines of the current turn. On Lambda the turn ends before the invocation returns.
 *
 * @example
 * createLogger({ destination: stdoutDestination() }); // the default
 */
export function stdoutDestination(): BatchingDestination {
  return batchingDestination(1);
}

/**
 * Like {@link stdoutDestination}, for any file descriptor or path (one instance per target).
 *
 * @example
 * createLogger({ destination: batchingDestination('/var/log/shortline.log') });
 */
export function batchingDestination(dest: number | string): BatchingDestination {
  const known = shared.get(dest);
  if (known) return known;
  // sonic-boom in sync mode retries EAGAIN on a non-blocking stdout pipe.
  const out = pino.destination({ dest, sync: true });
  const destination = linesPerTurn((text) => out.write(text));
  process.once('exit', destination.flush);
  shared.set(dest, destination);
  return destination;
}

/**
 * A destination that hands `write` the lines of one event-loop turn together, in order, as
 * one string (the file writes above, or a message to another thread). `flush` hands over what
 * is pending now.
 *
 * @example
 * createLogger({ destination: linesPerTurn((text) => port.postMessage(text)) });
 */
export function linesPerTurn(write: (text: string) => void): BatchingDestination {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  return {
    write(line: string) {
      pending += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
