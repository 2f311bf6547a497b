import { describe, expect, it } from 'vitest';
import { contextFromHeaders, runWithContext } from '../context/index.ts';
import { LogError } from './errors.ts';
import { createLogger } from './logger.ts';
import { memoryDestination } from './memory-destination.ts';

const context = (id: string, debug: boolean) =>
  contextFromHeaders(
    { 'x-correlation-id': id, 'user-agent': 'test/1' },
    { random: () => (debug ? 0 : 1) },
  );

describe('createLogger', () => {
  it('adds the current context to every line, and nothing outside a context', () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out, name: 'unit', level: 'info' });
    runWithContext(context('id-1', false), () => log.info({ code: 'x' }, 'inside'));
    log.info('outside');
    const [inside, outside] = out.records();
    expect(inside).toMatchObject({
      level: 'info',
      name: 'unit',
      msg: 'inside',
      code: 'x',
      'x-correlation-id': 'id-1',
    });
    expect(inside).not.toHaveProperty('user-agent');
    expect(inside).not.toHaveProperty('debug-log-enabled');
    expect(outside).not.toHaveProperty('x-correlation-id');
    expect(typeof inside?.time).toBe('number');
  });

  it('logs debug only for sampled contexts when the base level is info', () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out, level: 'info' });
    runWithContext(context('plain', false), () => log.debug('hidden'));
    runWithContext(context('sampled', true), () => log.debug('shown'));
    log.debug('no context');
    const child = log.child({ processor: 'p' });
    runWithContext(context('child', true), () => child.debug('child shown'));
    runWithContext(context('child-plain', false), () => child.debug('child hidden'));
    expect(out.records().map((r) => r.msg)).toEqual(['shown', 'child shown']);
    expect(out.records()[0]).toMatchObject({ level: 'debug', 'debug-log-enabled': true });
  });

  it('answers isLevelEnabled for the current context, children included', () => {
    const log = createLogger({ destination: memoryDestination(), level: 'info' });
    const child = log.child({ processor: 'p' });
    expect(log.isLevelEnabled('debug')).toBe(false);
    expect(log.isLevelEnabled('info')).toBe(true);
    runWithContext(context('s', true), () => {
      expect(log.isLevelEnabled('debug')).toBe(true);
      expect(child.isLevelEnabled('debug')).toBe(true);
      expect(log.isLevelEnabled('trace')).toBe(false);
    });
    runWithContext(context('p', false), () => expect(child.isLevelEnabled('debug')).toBe(false));
  });

  it('never goes below debug for sampled contexts, and stays quiet when silent', () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out, level: 'warn' });
    runWithContext(context('s', true), () => {
      log.trace('trace');
      log.info('info');
    });
    const silent = createLogger({ destination: out, level: 'silent' });
    runWithContext(context('s', true), () => silent.error('nothing'));
    expect(out.records().map((r) => r.msg)).toEqual(['info']);
  });

  it('reads LOG_LEVEL from configuration and rejects bad values and options', () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out, env: { LOG_LEVEL: 'DEBUG' } });
    log.debug('d');
    expect(out.records()).toHaveLength(1);
    expect(() => createLogger({ env: { LOG_LEVEL: 'loud' } })).toThrow(LogError);
    expect(() => createLogger({ levle: 'info' } as never)).toThrow(/unknown logger option/);
  });

  it('keeps concurrent contexts apart across awaits', async () => {
    const out = memoryDestination();
    const log = createLogger({ destination: out, level: 'info' });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        runWithContext(context(`c-${i}`, false), async () => {
          for (let step = 0; step < 3; step++) {
            await new Promise((resolve) => setImmediate(resolve));
            log.info({ i }, 'step');
          }
        }),
      ),
    );
    const records = out.records();
    expect(records).toHaveLength(150);
    for (const r of records) expect(r['x-correlation-id']).toBe(`c-${r.i}`);
  });
});
