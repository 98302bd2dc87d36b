/**
 * The app log in Electron: the core Logger and FileSink with the folder Electron picks for logs
 * (`app.getPath('logs')`). Not electron-log: `electron-log/main` requires `electron` as soon as it
 * is loaded, which the shell's Node tests cannot mock, and the redaction has to live in the core
 * anyway so the preview and the tests log exactly as the app does.
 */
import { app, shell } from 'electron';
import { FileSink } from '../core/log/file-sink';
import { Logger, isLogLevel, stderrSink } from '../core/log/logger';

/**
 * Made before `ready`; lines reach only stderr (during development) until `openLogFile`.
 * `B24_NOTIFY_LOG_LEVEL=debug` adds a line per request.
 */
export function createAppLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const requested = env.B24_NOTIFY_LOG_LEVEL;
  return new Logger({ level: isLogLevel(requested) ? requested : 'info', sinks: app.isPackaged ? [] : [stderrSink] });
}

/** Starts writing `main.log` in the logs folder (after `ready`) and returns that folder. */
export function openLogFile(logger: Logger): string {
  const dir = app.getPath('logs');
  logger.addSink(new FileSink({ dir }));
  logger.info(`B24 Notify ${app.getVersion()} on ${process.platform} ${process.arch}, Electron ${process.versions.electron}; log level ${logger.level}`);
  return dir;
}

/** "Open logs folder" in the tray menu. */
export function showLogsFolder(dir: string, logger: Logger): void {
  void shell.openPath(dir).then((problem) => {
    if (problem) logger.warn(`could not open the logs folder: ${problem}`);
  });
}
