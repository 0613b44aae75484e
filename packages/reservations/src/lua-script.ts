import { createHash } from 'node:crypto';
import { ErrorReply } from 'redis';
import type { RedisStoreClient } from './redis-connection';

/**
 * A Lua script sent by SHA1 (EVALSHA). Redis forgets scripts on restart or SCRIPT FLUSH, so a
 * NOSCRIPT reply falls back to EVAL once, which also caches the script again.
 */
export class LuaScript {
  readonly sha1: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script; the reply is unknown until a parser has checked its shape. */
  async run(client: RedisStoreClient, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await client.evalSha(this.sha1, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, { keys, arguments: args });
    }
  }

  /** Loads the script up front so the first real call is not the one paying for a NOSCRIPT. */
  async load(client: RedisStoreClient): Promise<void> {
    const sha1 = await client.scriptLoad(this.source);
    if (sha1 !== this.sha1) throw new Error(`Redis hashed script ${this.name} as ${String(sha1)}, expected ${this.sha1}`);
  }
}
