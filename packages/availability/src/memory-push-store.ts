import type { AckRecord, FigureRecord, PushStore, ResyncCheckpoint } from './ports';
import { foldPushLog } from './push-log';

/**
 * The in-process PushStore for all-in-one mode: the same append-only log folded by sequence
 * number as MongoPushStore, in memory (nothing survives a restart). Records are copied in and
 * out, so a caller changing its objects never changes what is stored.
 */
export class MemoryPushStore implements PushStore {
  private entries: { figures: FigureRecord[]; acks: AckRecord[] }[] = [];
  private readonly checkpoints = new Map<string, ResyncCheckpoint>();

  async saveFigures(records: readonly FigureRecord[]): Promise<void> {
    if (records.length > 0) this.entries.push({ figures: structuredClone([...records]), acks: [] });
  }

  async saveAcks(records: readonly AckRecord[]): Promise<void> {
    if (records.length > 0) this.entries.push({ figures: [], acks: structuredClone([...records]) });
  }

  async loadChannel(channel: string): Promise<{ figures: FigureRecord[]; acks: AckRecord[] }> {
    const { figures, acks } = foldPushLog(this.entries);
    return structuredClone({ figures: [...figures.values()].filter((f) => f.channel === channel), acks: [...acks.values()].filter((a) => a.channel === channel) });
  }

  async compact(): Promise<number> {
    const replaced = this.entries.length;
    if (replaced <= 2) return 0;
    const { figures, acks } = foldPushLog(this.entries);
    this.entries = [{ figures: [...figures.values()], acks: [...acks.values()] }];
    return replaced;
  }

  async checkpoint(channel: string): Promise<ResyncCheckpoint | null> {
    const checkpoint = this.checkpoints.get(channel);
    return checkpoint ? structuredClone(checkpoint) : null;
  }

  async saveCheckpoint(checkpoint: ResyncCheckpoint): Promise<void> {
    this.checkpoints.set(checkpoint.channel, structuredClone(checkpoint));
  }

  async close(): Promise<void> {
    // Nothing to release; the state stays for a process that reopens nothing.
  }
}
