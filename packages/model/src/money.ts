import type { Money } from './domain';

/**
 * Decimal money arithmetic on bigint minor units. Amounts are kept at 4 decimal places, which
 * covers unit prices quoted in fractions of a cent; results print with at least 2 decimals.
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,4}))?$/;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Parses a decimal string ("12", "12.5", "-0.0001") into scaled units. */
export function parseDecimal(amount: string): bigint {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new MoneyError(`not a decimal amount with at most ${SCALE} decimals: "${amount}"`);
  const [, sign, whole = '0', fraction = ''] = match;
  const units = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return sign ? -units : units;
}

/** Formats scaled units as a decimal string with 2 to 4 decimals ("12.50", "0.1234"). */
export function formatDecimal(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  let fraction = (abs % FACTOR).toString().padStart(SCALE, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}

export function money(amount: string, currency: string): Money {
  return { amount: formatDecimal(parseDecimal(amount)), currency };
}

/** Converts integer minor units (cents) into Money, as some backends send them. */
export function moneyFromMinorUnits(minor: number, currency: string, exponent = 2): Money {
  if (!Number.isInteger(minor)) throw new MoneyError(`minor units must be an integer, got ${minor}`);
  const units = BigInt(minor) * 10n ** BigInt(SCALE - exponent);
  return { amount: formatDecimal(units), currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: formatDecimal(parseDecimal(a.amount) + parseDecimal(b.amount)), currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amount: formatDecimal(parseDecimal(a.amount) - parseDecimal(b.amount)), currency: a.currency };
}

export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isInteger(quantity)) throw new MoneyError(`quantity must be an integer, got ${quantity}`);
  return { amount: formatDecimal(parseDecimal(a.amount) * BigInt(quantity)), currency: a.currency };
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  const d = parseDecimal(a.amount) - parseDecimal(b.amount);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce((total, item) => addMoney(total, item), { amount: '0.00', currency });
}
