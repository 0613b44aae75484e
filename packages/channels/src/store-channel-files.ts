import { join } from 'node:path';
import { loadStoreChannels } from './channel-config';
import type { ChannelLog } from './channel-log';
import { watchConfigFolder, type ConfigFolderWatch } from './config-watch';
import type { WebhookChannels } from './webhook-reception';

/** Options of watchStoreChannelFiles. */
export interface StoreChannelFilesOptions {
  /** The channel config folder; its `channels/` is watched (the files, and mapping files kept beside them). */
  dir: string;
  /** Where the secrets the files name are read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /**
   * Takes the channels read (a webhook door, an inbox); throws to refuse them (a mapping that does
   * not compile), and then nothing was changed by it.
   */
  apply: (channels: WebhookChannels) => void;
  /** Quiet time after the last change before the files are read again (default 250 ms). */
  debounceMs?: number;
  log?: ChannelLog;
}

/**
 * Serves changes to the store and marketplace channel files without a restart, as the partner
 * files are: a change in `<dir>/channels/` reads and validates them again and hands them over
 * whole; a set that does not validate is refused and the channels as they were stay in use. A
 * channel whose secret variable is unset is left out, as at start.
 */
export function watchStoreChannelFiles(options: StoreChannelFilesOptions): ConfigFolderWatch {
  return watchConfigFolder({
    folder: join(options.dir, 'channels'),
    what: 'store channel files',
    load: () => {
      const { shopify, mapped, disabled } = loadStoreChannels(options.dir, options.env ?? process.env);
      options.apply({ shopify, mapped });
      const served = [...(shopify ? [`shopify (${shopify.channel})`] : []), ...mapped.map((c) => `${c.name} (${c.channel})`)];
      return [served.join(', '), ...disabled].filter((part) => part !== '').join('; ');
    },
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    ...(options.log ? { log: options.log } : {}),
  });
}
