import { existsSync, watch, type FSWatcher } from 'node:fs';
import type { ChannelLog } from './channel-log';

/** Options of watchConfigFolder. */
export interface ConfigFolderOptions {
  /** The folder whose files are watched. */
  folder: string;
  /** What its files are, for log lines ("partner files"). */
  what: string;
  /**
   * Reads and validates the files again and switches to them whole; answers what is in use now
   * for the log. Throws (naming the file and value) when they do not validate: nothing changes.
   */
  load: () => string;
  /**
   * Quiet time after the last change before the files are read again (default 250 ms): an editor
   * or a deployment writes a file in several steps, and only the end result should be read.
   */
  debounceMs?: number;
  log?: ChannelLog;
}

/** A running watch of a configuration folder. */
export interface ConfigFolderWatch {
  /** Why the last reload was refused (the file and value named); null once a reload succeeded. */
  readonly lastError: string | null;
  /** Reloads now (what a change triggers after the debounce); answers whether the new files were taken. */
  reload(): boolean;
  close(): void;
}

/**
 * Serves changes to a folder of configuration files without a restart: on a change the files are
 * read and validated again as at start, and taken whole. A set that does not validate is refused
 * with an error naming the file and value, and the configuration as it was is kept (a half-edited
 * file never takes a partner or a channel away).
 */
export function watchConfigFolder(options: ConfigFolderOptions): ConfigFolderWatch {
  let lastError: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  const reload = (): boolean => {
    try {
      const inUse = options.load();
      lastError = null;
      options.log?.({ level: 'info', message: `${options.what} reloaded: ${inUse || 'none'}` });
      return true;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      options.log?.({ level: 'error', message: `${options.what} not reloaded, the previous ones stay in use: ${lastError}`, error });
      return false;
    }
  };
  let watcher: FSWatcher | null = null;
  if (existsSync(options.folder)) {
    watcher = watch(options.folder, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        reload();
      }, options.debounceMs ?? 250);
    });
    watcher.on('error', (error) => options.log?.({ level: 'error', message: `watching ${options.folder} failed; ${options.what} are no longer reloaded`, error }));
  } else {
    options.log?.({ level: 'warn', message: `${options.folder} does not exist: no ${options.what} to watch` });
  }
  return {
    get lastError() {
      return lastError;
    },
    reload,
    close: () => {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
