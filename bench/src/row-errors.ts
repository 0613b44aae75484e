/** A step whose failure fails a row rather than the whole suite. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs `step`; on failure the full error goes to the console under `label` and the row gets {@link oneLine}. */
export async function attempt<T>(label: string, step: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await step() };
  } catch (error) {
    console.error(`${label}:`, error);
    return { ok: false, reason: oneLine(error) };
  }
}

/** An error as one line of at most ~600 characters, so it fits a markdown list item; the full text went to the console. */
export function oneLine(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  return text.length > 600 ? `…${text.slice(-600)}` : text;
}
