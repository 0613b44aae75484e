/** A log line for the service's logger (the subgraph passes its pino logger's methods in). */
export interface ChannelLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  error?: unknown;
}

export type ChannelLog = (entry: ChannelLogEntry) => void;
