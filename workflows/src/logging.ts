import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino from 'pino';
import pretty from 'pino-pretty';

/** `json`: one JSON object per line (for log collectors); `pretty`: one readable line (for people). */
export type LogFormat = 'json' | 'pretty';

/** JSON where output is collected, readable lines where a person watches a terminal. */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stdout): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

/** The worker's logger: pino, as JSON lines or as one short readable line per entry. */
export function createWorkerLogger(level: string, format: LogFormat): pino.Logger {
  const options = { name: 'worker', level };
  if (format === 'json') return pino(options);
  return pino(options, pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}

const levels = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** Temporal's logger interface over pino, so the SDK's own lines look like the worker's. */
export function temporalLogger(log: pino.Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => log[levels[level]](meta ?? {}, message);
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

/**
 * What the workflow bundler says goes to `log` at debug: its info lines are webpack's whole
 * build report (every module, dozens of lines), which says nothing to someone starting the
 * stack. Warnings and errors keep their level.
 */
export function quietBundlerLogger(log: TemporalLogger): TemporalLogger {
  const demote = (level: LogLevel): LogLevel => (level === 'INFO' ? 'DEBUG' : level);
  return {
    log: (level, message, meta) => {
      log.log(demote(level), message, meta);
    },
    trace: (message, meta) => {
      log.trace(message, meta);
    },
    debug: (message, meta) => {
      log.debug(message, meta);
    },
    info: (message, meta) => {
      log.debug(message, meta);
    },
    warn: (message, meta) => {
      log.warn(message, meta);
    },
    error: (message, meta) => {
      log.error(message, meta);
    },
  };
}
