/** A line for the service's logger (the subgraph passes its pino logger through this). */
export interface CaptureLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  orderId?: string;
  /** The backend a posting goes to, for outbox lines. */
  target?: string;
  error?: unknown;
}

/** Where order capture reports what an operator should know. */
export type CaptureLog = (entry: CaptureLogEntry) => void;
