export { LogError } from './errors.ts';
export type { Logger, LoggerOptions, LogLevel } from './logger.ts';
export { contextFields, createLogger, loggerDestination, parseLogLevel } from './logger.ts';
export type { MemoryDestination } from './memory-destination.ts';
export { memoryDestination } from './memory-destination.ts';
export { batchingDestination, linesPerTurn, stdoutDestination } from './stdout-destination.ts';
