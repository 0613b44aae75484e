import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { loadPartners } from './channel-config';
import type { ChannelLog } from './channel-log';
import type { PartnerDirectory } from './partner-directory';

/** Options of watchPartnerFiles. */
export interface PartnerFilesOptions {
  /** The channel config folder; its `partners/` is watched. */
  dir: string;
  directory: PartnerDirectory;
  /**
   * Quiet time after the last change before the files are read again (default 250 ms): an editor
   * or a deployment writes a file in several steps, and only the end result should be read.
   */
  debounceMs?: number;
  log?: ChannelLog;
}

/** A running watch of the partner files. */
export interface PartnerFiles {
  /** Why the last reload was refused (the file and value named); null once a reload succeeded. */
  readonly lastError: string | null;
  /** Reloads now (what a change triggers after the debounce); answers whether the new files were taken. */
  reload(): boolean;
  close(): void;
}

/**
 * Serves changes to the partner files without a restart: on a change in `<dir>/partners/` the
 * files are read and validated again as at start, and the directory switches to them whole. A
 * set that does not validate is refused with an error naming the file and value, and the
 * partners as they were are kept (a half-edited file never takes a partner away).
 */
export function watchPartnerFiles(options: PartnerFilesOptions): PartnerFiles {
  const folder = join(options.dir, 'partners');
  let lastError: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  const reload = (): boolean => {
    try {
      const partners = loadPartners(options.dir);
      options.directory.replace(partners);
      lastError = null;
      options.log?.({ level: 'info', message: `partner files reloaded: ${partners.map((p) => p.id).join(', ') || 'none'}` });
      return true;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      options.log?.({ level: 'error', message: `partner files not reloaded, the previous partners stay in use: ${lastError}`, error });
      return false;
    }
  };
  let watcher: FSWatcher | null = null;
  if (existsSync(folder)) {
    watcher = watch(folder, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        reload();
      }, options.debounceMs ?? 250);
    });
    watcher.on('error', (error) => options.log?.({ level: 'error', message: `watching ${folder} failed; partner files are no longer reloaded`, error }));
  } else {
    options.log?.({ level: 'warn', message: `${folder} does not exist: no partner files to watch` });
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
