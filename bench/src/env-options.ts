/**
 * `--env NAME=value` options (repeatable) as an environment. A pair without a name before its
 * `=` is refused: it would otherwise set a nameless or misspelt variable and measure nothing.
 */
export function envOptions(pairs: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (pairs ?? []).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`an environment option takes NAME=value, got "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
