import { join } from 'node:path';
import { loadPartners } from './channel-config';
import type { ChannelLog } from './channel-log';
import { watchConfigFolder, type ConfigFolderWatch } from './config-watch';
import type { PartnerDirectory } from './partner-directory';

/** Options of watchPartnerFiles. */
export interface PartnerFilesOptions {
  /** The channel config folder; its `partners/` is watched. */
  dir: string;
  directory: PartnerDirectory;
  /** Quiet time after the last change before the files are read again (default 250 ms). */
  debounceMs?: number;
  log?: ChannelLog;
}

/** A running watch of the partner files. */
export type PartnerFiles = ConfigFolderWatch;

/**
 * Serves changes to the partner files without a restart: on a change in `<dir>/partners/` the
 * files are read and validated again as at start, and the directory switches to them whole. A
 * set that does not validate is refused with an error naming the file and value, and the
 * partners as they were are kept (a half-edited file never takes a partner away).
 */
export function watchPartnerFiles(options: PartnerFilesOptions): PartnerFiles {
  return watchConfigFolder({
    folder: join(options.dir, 'partners'),
    what: 'partner files',
    load: () => {
      const partners = loadPartners(options.dir);
      options.directory.replace(partners);
      return partners.map((p) => p.id).join(', ');
    },
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    ...(options.log ? { log: options.log } : {}),
  });
}
